-- The agent inbox: how long a conversation has waited for a person, oldest first.
alter table conversation add column escalated_at timestamptz;
update conversation set escalated_at = updated_at where state <> 'BOT' and escalation_reason is not null;
create index conversation_waiting_idx on conversation (tenant_id, state, escalated_at);

-- Agents with the inbox open, per replica heartbeat: who is online to take a conversation.
create table agent_presence (
    tenant_id     uuid         not null references tenant (id) on delete cascade,
    username      varchar(100) not null,
    last_seen_at  timestamptz  not null,
    -- when round-robin last gave this agent a conversation: the next one goes to whoever waited longest
    last_assigned_at timestamptz,
    primary key (tenant_id, username)
);
alter table agent_presence enable row level security;
alter table agent_presence force row level security;
create policy tenant_isolation on agent_presence
    using (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on')
    with check (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on');
