-- Actions: calls the assistant makes to a tenant's own API for a customer, each one defined by the
-- tenant (a tool the model may call) and signed with the action's secret, and every call recorded.
create table action (
    tenant_id                  uuid         not null references tenant (id) on delete cascade,
    id                         uuid         not null,
    name                       text         not null,
    description                text         not null,
    method                     text         not null check (method in ('GET', 'POST', 'PUT', 'PATCH', 'DELETE')),
    url                        text         not null,
    parameters                 jsonb        not null,
    requires_verified_customer boolean      not null,
    confirm                    boolean      not null,
    timeout_ms                 integer      not null,
    enabled                    boolean      not null,
    secret                     text         not null,
    created_at                 timestamptz  not null,
    updated_at                 timestamptz  not null,
    primary key (tenant_id, id),
    unique (tenant_id, name)
);

-- One call of an action: the validated arguments with secret-looking values masked, never the response.
-- Deleted with its conversation, so erasing a contact erases what was sent for them too.
create table action_call (
    tenant_id       uuid         not null,
    id              uuid         not null,
    action_id       uuid         not null,
    action_name     text         not null,
    conversation_id uuid,
    arguments       jsonb        not null,
    outcome         text         not null check (outcome in ('ok', 'refused', 'invalid_arguments', 'timeout',
                                                            'http_status', 'invalid_json', 'too_large', 'unreachable')),
    status          integer,
    reason          text,
    duration_ms     integer      not null,
    created_at      timestamptz  not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, action_id) references action (tenant_id, id) on delete cascade,
    foreign key (tenant_id, conversation_id) references conversation (tenant_id, id) on delete cascade
);
create index action_call_action_idx on action_call (tenant_id, action_id, created_at desc);
create index action_call_conversation_idx on action_call (tenant_id, conversation_id) where conversation_id is not null;

alter table action enable row level security;
alter table action force row level security;
create policy tenant_isolation on action
    using (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on')
    with check (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on');
alter table action_call enable row level security;
alter table action_call force row level security;
create policy tenant_isolation on action_call
    using (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on')
    with check (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on');
