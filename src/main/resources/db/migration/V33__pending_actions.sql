-- Writes that wait for the customer's agreement: what the model asked for, validated, with the line the
-- customer confirms. The customer's decision moves it out of 'pending' exactly once (a conditional update),
-- so two confirmations cannot both make the call. Deleted with its conversation or action.
create table pending_action (
    tenant_id       uuid         not null,
    id              uuid         not null,
    action_id       uuid         not null,
    action_name     text         not null,
    conversation_id uuid         not null,
    customer_id     text,
    arguments       jsonb        not null,
    summary         text         not null,
    action_version  timestamptz  not null,
    state           text         not null check (state in ('pending', 'confirmed', 'declined', 'expired')),
    created_at      timestamptz  not null,
    expires_at      timestamptz  not null,
    decided_at      timestamptz,
    primary key (tenant_id, id),
    foreign key (tenant_id, action_id) references action (tenant_id, id) on delete cascade,
    foreign key (tenant_id, conversation_id) references conversation (tenant_id, id) on delete cascade
);
create index pending_action_conversation_idx on pending_action (tenant_id, conversation_id, created_at);

alter table pending_action enable row level security;
alter table pending_action force row level security;
create policy tenant_isolation on pending_action
    using (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on')
    with check (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on');

-- The customer's decisions are part of an action's record: offered for confirmation, then confirmed,
-- declined, or left until it expired.
alter table action_call drop constraint action_call_outcome_check;
alter table action_call add constraint action_call_outcome_check check (outcome in ('ok', 'refused',
    'invalid_arguments', 'timeout', 'http_status', 'invalid_json', 'too_large', 'unreachable',
    'pending', 'confirmed', 'declined', 'expired'));
