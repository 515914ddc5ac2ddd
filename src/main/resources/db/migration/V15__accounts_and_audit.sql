-- Built-in accounts for the embedded default (Keycloak owns people in production).
-- Only a bcrypt hash of the password is kept; usernames are unique across the platform
-- because a login names no tenant.
create table account (
    id             uuid primary key,
    -- null for a platform account (the bootstrap admin)
    tenant_id      uuid references tenant (id) on delete cascade,
    username       varchar(100) not null,
    password_hash  varchar(100) not null,
    roles          jsonb        not null,
    created_at     timestamptz  not null,
    last_login_at  timestamptz
);
create unique index account_username_idx on account (lower(username));
create index account_tenant_idx on account (tenant_id, username);

-- Security-relevant actions: who did what, when, to which tenant. Rows outlive the tenant
-- they name (no foreign key), so deleting a tenant leaves the record of who deleted it.
create table audit_log (
    id              bigint generated always as identity primary key,
    tenant_id       uuid,
    occurred_at     timestamptz  not null,
    actor           varchar(200) not null,
    action          varchar(60)  not null,
    target          varchar(200),
    detail          jsonb        not null,
    source_address  varchar(64)
);
create index audit_log_tenant_idx on audit_log (tenant_id, id);

-- A platform account's change is an event of no tenant.
alter table outbox_event alter column tenant_id drop not null;
