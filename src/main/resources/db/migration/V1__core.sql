-- Core tables. Every tenant-owned table leads its keys and indexes with tenant_id, and
-- references other tenant-owned rows through (tenant_id, id) so a row can never point
-- into another tenant.

create table tenant (
    id                uuid primary key,
    slug              varchar(63)  not null unique,
    name              varchar(200) not null,
    allowed_origins   jsonb        not null default '[]',
    persona           text         not null default '',
    instructions      text         not null default '',
    greeting          text         not null default '',
    model_policy      jsonb        not null,
    config_version    integer      not null default 1,
    conversation_seq  bigint       not null default 0,
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null
);

create table contact (
    tenant_id     uuid         not null references tenant (id) on delete cascade,
    id            uuid         not null,
    external_id   varchar(200),
    display_name  varchar(200),
    email         varchar(320),
    verified      boolean      not null default false,
    created_at    timestamptz  not null,
    primary key (tenant_id, id)
);
create unique index contact_external_id_uk on contact (tenant_id, external_id) where external_id is not null;

create table conversation (
    tenant_id          uuid         not null references tenant (id) on delete cascade,
    id                 uuid         not null,
    number             bigint       not null,
    contact_id         uuid         not null,
    state              varchar(20)  not null check (state in ('BOT', 'PENDING_HUMAN', 'HUMAN', 'CLOSED')),
    escalation_reason  varchar(40),
    token_hash         varchar(64)  not null,
    message_count      integer      not null default 0,
    created_at         timestamptz  not null,
    updated_at         timestamptz  not null,
    primary key (tenant_id, id),
    unique (tenant_id, number),
    unique (tenant_id, token_hash),
    foreign key (tenant_id, contact_id) references contact (tenant_id, id) on delete cascade
);
create index conversation_state_idx on conversation (tenant_id, state, updated_at desc);
create index conversation_contact_idx on conversation (tenant_id, contact_id);

create table message (
    tenant_id        uuid         not null,
    id               uuid         not null,
    conversation_id  uuid         not null,
    seq              integer      not null,
    role             varchar(10)  not null check (role in ('customer', 'bot', 'agent', 'system')),
    text             text         not null,
    created_at       timestamptz  not null,
    model_endpoint   varchar(100),
    model_name       varchar(200),
    provider         varchar(50),
    config_version   integer,
    input_tokens     integer,
    output_tokens    integer,
    ttft_ms          integer,
    latency_ms       integer,
    citations        jsonb,
    primary key (tenant_id, id),
    unique (tenant_id, conversation_id, seq),
    foreign key (tenant_id, conversation_id) references conversation (tenant_id, id) on delete cascade
);

create table article (
    tenant_id   uuid          not null references tenant (id) on delete cascade,
    id          uuid          not null,
    source_key  varchar(200),
    title       varchar(300)  not null,
    body        text          not null,
    url         varchar(2000),
    tags        jsonb         not null default '[]',
    language    varchar(16)   not null default 'en',
    created_at  timestamptz   not null,
    updated_at  timestamptz   not null,
    primary key (tenant_id, id)
);
create unique index article_source_key_uk on article (tenant_id, source_key) where source_key is not null;
