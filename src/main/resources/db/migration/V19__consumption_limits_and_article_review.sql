-- Per-tenant link allowlist for bot replies, and limits on how much model work the assistant may spend ('{}' = defaults).
alter table tenant add column allowed_link_domains jsonb not null default '[]';
alter table tenant add column consumption_limits jsonb not null default '{}';

-- Articles whose text reads like instructions to the assistant wait for an admin's review and stay out of answers until then.
alter table article add column review_reason varchar(200);
