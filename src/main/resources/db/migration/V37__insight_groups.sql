-- Insights: what each conversation was about, and the groups conversations fall into: topics
-- (what customers want) and gaps (what the assistant could not answer well). Derived data,
-- rebuilt from conversations in the background; erasing a contact or a conversation takes its
-- rows with it, so erased customers' words vanish from topics and gaps.
create table insight_group (
    tenant_id        uuid         not null references tenant (id) on delete cascade,
    id               uuid         not null,
    -- 'article': the questions the help centre answers from one article; 'topic': questions alike
    -- that no article answers; 'gap': questions alike that were answered badly. Topics and gaps are
    -- grouped by meaning and wording.
    kind             text         not null check (kind in ('article', 'topic', 'gap')),
    article_id       uuid,
    label            text         not null,
    created_at       timestamptz  not null,
    updated_at       timestamptz  not null,
    primary key (tenant_id, id),
    unique (tenant_id, kind, article_id)
);

-- One row per analysed conversation: the customer message that says what they wanted (never a
-- copy of its text), its embedding, how well the help centre answered it, and its groups.
create table conversation_insight (
    tenant_id        uuid              not null,
    conversation_id  uuid              not null,
    question_id      uuid              not null,
    -- all-MiniLM-L6-v2, 384 float32 values, little-endian
    vector           bytea             not null,
    article_id       uuid,
    confidence       double precision  not null,
    -- why it was answered badly, comma-separated (low_confidence, handed_off, unhelpful, asked_again); empty when well
    reasons          text              not null,
    topic_id         uuid,
    gap_id           uuid,
    analysed_at      timestamptz       not null,
    primary key (tenant_id, conversation_id),
    foreign key (tenant_id, conversation_id) references conversation (tenant_id, id) on delete cascade,
    -- topic_id and gap_id name insight_group rows without a foreign key: deleting a group clears
    -- them first (InsightRepository.deleteGroups), as PostgreSQL before 15 cannot set one column
    -- of a composite key to null.
    foreign key (tenant_id, question_id) references message (tenant_id, id) on delete cascade
);
create index conversation_insight_topic_idx on conversation_insight (tenant_id, topic_id);
create index conversation_insight_gap_idx on conversation_insight (tenant_id, gap_id) where gap_id is not null;

-- When each tenant's clusters were last rebuilt: what was analysed since is not grouped yet.
create table insight_grouping (
    tenant_id        uuid         not null primary key references tenant (id) on delete cascade,
    grouped_at       timestamptz  not null
);

alter table insight_grouping enable row level security;
alter table insight_grouping force row level security;
create policy tenant_isolation on insight_grouping
    using (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on')
    with check (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on');
alter table insight_group enable row level security;
alter table insight_group force row level security;
create policy tenant_isolation on insight_group
    using (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on')
    with check (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on');
alter table conversation_insight enable row level security;
alter table conversation_insight force row level security;
create policy tenant_isolation on conversation_insight
    using (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on')
    with check (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on');
