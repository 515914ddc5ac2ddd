-- Satisfaction and quality per conversation (docs/insights.md).
-- When the customer was asked "How did we do?": the assistant resolved the conversation (an answer
-- marked helpful before any hand-off) or a person closed it. A rating is taken only after that.
alter table conversation add column survey_offered_at timestamptz;
-- The conversation's quality grade and the signals behind it, recomputed whenever they change.
alter table conversation add column grade text check (grade in ('good', 'fair', 'poor'));
alter table conversation add column grade_reasons jsonb;
alter table conversation add column graded_at timestamptz;
create index conversation_grade_idx on conversation (tenant_id, grade, number desc) where grade is not null;
create index conversation_survey_idx on conversation (tenant_id, survey_offered_at) where survey_offered_at is not null;

-- One rating per conversation. Erasing the contact keeps the score (an anonymous figure in CSAT)
-- but removes the comment and the link to the conversation; deleting the conversation otherwise
-- (retention, tenant deletion) deletes its rating.
create table conversation_rating (
    tenant_id       uuid         not null references tenant (id) on delete cascade,
    id              uuid         not null,
    conversation_id uuid,
    score           smallint     not null check (score between 1 and 5),
    comment         text,
    created_at      timestamptz  not null,
    primary key (tenant_id, id),
    unique (tenant_id, conversation_id),
    foreign key (tenant_id, conversation_id) references conversation (tenant_id, id) on delete cascade
);
create index conversation_rating_created_idx on conversation_rating (tenant_id, created_at);

alter table conversation_rating enable row level security;
alter table conversation_rating force row level security;
create policy tenant_isolation on conversation_rating
    using (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on')
    with check (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on');
