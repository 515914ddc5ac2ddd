-- Domain events written in the same transaction as the change they describe, then published
-- by the relay (in-process channels, or Kafka in production). Published rows are kept a while
-- for inspection and deleted by the relay.
create table outbox_event (
    id uuid primary key,
    seq bigint generated always as identity,
    tenant_id uuid not null references tenant (id) on delete cascade,
    type text not null,
    event_key text not null,
    payload jsonb not null,
    created_at timestamptz not null,
    published_at timestamptz
);
create index outbox_event_unpublished_idx on outbox_event (seq) where published_at is null;
create index outbox_event_published_idx on outbox_event (published_at) where published_at is not null;
