-- A secret marker per tenant, placed in its system prompt: seen in a reply, the prompt leaked.
alter table tenant add column canary varchar(40);
update tenant set canary = 'sbc' || substr(md5(random()::text || id::text), 1, 20) where canary is null;
alter table tenant alter column canary set not null;

-- A conversation the guardrails flagged for a person to review, and why.
alter table conversation add column flagged_reason varchar(60);
alter table conversation add column flagged_at timestamptz;
