-- API keys: "sbk_" + 32 random bytes. Only the SHA-256 of a key is stored; the key is shown once.
create table api_key (
    id            uuid primary key,
    -- null for a platform key
    tenant_id     uuid references tenant (id) on delete cascade,
    name          varchar(100) not null,
    key_hash      varchar(64)  not null unique,
    -- the first characters, so people can tell their keys apart
    key_prefix    varchar(16)  not null,
    roles         jsonb        not null,
    created_at    timestamptz  not null,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
create index api_key_tenant_idx on api_key (tenant_id, created_at);
