-- Who owns a conversation once a person takes over, and the tenant's escalation rules.
alter table conversation add column assignee varchar(200);
alter table tenant add column escalation jsonb not null default '{}';
create index conversation_assignee_idx on conversation (tenant_id, assignee, state);
