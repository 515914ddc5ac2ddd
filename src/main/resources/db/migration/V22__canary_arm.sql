-- Whether a conversation was drawn for its policy's canary model: it keeps that draw until it
-- closes, and the canary's live comparison with the primary is made between the two groups.
alter table conversation add column canary boolean not null default false;
create index conversation_since on conversation (tenant_id, created_at);
