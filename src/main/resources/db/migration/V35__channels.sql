-- Channels: where a tenant's conversations come from. The widget is every tenant's implicit
-- channel (no row; its id is the tenant's id); the channels a tenant adds (an API channel: the
-- tenant's server posts customers' messages and receives signed callbacks) are rows here.
create table channel (
    tenant_id   uuid         not null references tenant (id) on delete cascade,
    id          uuid         not null,
    type        text         not null,
    name        text         not null,
    -- The type's own settings (an API channel's callback URL), as its implementation reads them.
    settings    jsonb        not null,
    -- SHA-256 of the channel's bearer token (API channels); the token itself is shown once, never stored.
    token_hash  text,
    -- The webhook subscription that carries the channel's callbacks (API channels).
    webhook_id  uuid         references webhook (id) on delete set null,
    -- Overrides of the tenant's settings for the channel's conversations; null keeps the tenant's.
    greeting    text,
    -- Said instead of the platform's notice when a conversation goes to a person outside business hours.
    away_reply  text,
    bot_answers boolean      not null,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    primary key (tenant_id, id),
    unique (tenant_id, name)
);
-- A message posted to an API channel names the channel before its tenant is known.
create unique index channel_id_idx on channel (id);

alter table channel enable row level security;
alter table channel force row level security;
create policy tenant_isolation on channel
    using (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on')
    with check (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on');

-- A webhook another feature manages (an API channel's callbacks): it is not one of the tenant's
-- subscriptions, gets no domain events of its own, only the deliveries its owner queues.
alter table webhook add column owner text;
-- The conversation an owned webhook's delivery tells of (its payload is the owner's, not an event
-- envelope with a key), so erasing the conversation erases the delivery too.
alter table webhook_delivery add column key text;

-- Every conversation records its channel; the ones before channels came from the widget.
alter table conversation add column channel_id uuid;
alter table conversation add column channel_type text not null default 'widget';
update conversation set channel_id = tenant_id;
alter table conversation alter column channel_id set not null;
alter table conversation alter column channel_type drop default;
create index conversation_channel_idx on conversation (tenant_id, channel_id, number desc);
create index conversation_channel_contact_open_idx on conversation (tenant_id, channel_id, contact_id)
    where state <> 'CLOSED';
