-- Replay evaluations: a candidate model answers a sample of the tenant's past customer turns,
-- scored against what actually happened. Model calls they make are metered as their own source.
alter table model_usage drop constraint model_usage_source_check;
alter table model_usage add constraint model_usage_source_check check (source in ('conversation', 'api', 'evaluation'));

create table evaluation (
    tenant_id          uuid         not null references tenant (id) on delete cascade,
    id                 uuid         not null,
    candidate_endpoint text         not null,
    candidate_model    text         not null,
    judge_endpoint     text,
    judge_model        text,
    sample             jsonb        not null,
    state              text         not null check (state in ('queued', 'running', 'done', 'cancelled', 'failed')),
    total_turns        int          not null default 0,
    done_turns         int          not null default 0,
    summary            jsonb,
    problem            text,
    created_by         text         not null,
    created_at         timestamptz  not null default now(),
    started_at         timestamptz,
    finished_at        timestamptz,
    -- Refreshed while a replica runs it: a stale one is taken over by another replica.
    heartbeat_at       timestamptz,
    primary key (tenant_id, id)
);
create index evaluation_unfinished on evaluation (state, heartbeat_at) where state in ('queued', 'running');

-- One replayed customer turn. Deleted with its conversation, so erasing a contact erases what
-- the candidate answered them too.
create table evaluation_turn (
    tenant_id          uuid         not null,
    evaluation_id      uuid         not null,
    message_id         uuid         not null,
    conversation_id    uuid         not null,
    seq                int          not null,
    outcome            text         not null check (outcome in ('answered', 'escalated', 'rule')),
    escalation_reason  text,
    expected_escalation boolean,
    reply              text,
    citations          jsonb,
    grounded           boolean      not null default false,
    similarity         real,
    resolving          boolean      not null default false,
    judge_score        smallint,
    ttft_ms            int,
    latency_ms         int,
    input_tokens       int,
    output_tokens      int,
    cost_usd           numeric(18, 8),
    primary key (tenant_id, evaluation_id, message_id),
    foreign key (tenant_id, evaluation_id) references evaluation (tenant_id, id) on delete cascade,
    foreign key (tenant_id, conversation_id) references conversation (tenant_id, id) on delete cascade
);

alter table evaluation enable row level security;
alter table evaluation force row level security;
create policy tenant_isolation on evaluation
    using (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on')
    with check (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on');
alter table evaluation_turn enable row level security;
alter table evaluation_turn force row level security;
create policy tenant_isolation on evaluation_turn
    using (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on')
    with check (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on');
