-- Tenant webhooks: events delivered to the tenant's URL, signed with the subscription's secret
-- (HMAC-SHA256), retried with backoff, dead-lettered after the last attempt. One delivery per
-- event and subscription, however often the event arrives.
create table webhook (
    id          uuid primary key,
    tenant_id   uuid         not null references tenant (id) on delete cascade,
    url         text         not null,
    event_types jsonb        not null,
    secret      text         not null,
    description varchar(200),
    created_at  timestamptz  not null
);
create index webhook_tenant_idx on webhook (tenant_id);

create table webhook_delivery (
    id              uuid primary key,
    tenant_id       uuid        not null references tenant (id) on delete cascade,
    webhook_id      uuid        not null references webhook (id) on delete cascade,
    event_id        uuid        not null,
    event_type      text        not null,
    payload         jsonb       not null,
    status          text        not null check (status in ('pending', 'delivered', 'dead')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    last_status     integer,
    last_error      text,
    created_at      timestamptz not null,
    delivered_at    timestamptz,
    unique (webhook_id, event_id)
);
create index webhook_delivery_due_idx on webhook_delivery (next_attempt_at) where status = 'pending';
create index webhook_delivery_webhook_idx on webhook_delivery (webhook_id, created_at);
