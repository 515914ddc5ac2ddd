-- A secret marker per tenant, placed in its system prompt: seen in a reply, the prompt leaked.
alter table tenant add column canary varchar(40) not null default 'sbc' || substr(md5(random()::text || clock_timestamp()::text), 1, 20);

-- A conversation the guardrails flagged for a person to review, and why.
alter table conversation add column flagged_reason varchar(60);
alter table conversation add column flagged_at timestamptz;
