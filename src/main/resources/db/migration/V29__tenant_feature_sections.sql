-- Settings a tenant holds for its features (consumption limits, escalation rules) become named
-- sections of one document: the tenant stores them without interpreting them, and the feature
-- that owns a section reads and validates it.
alter table tenant add column sections jsonb not null default '{}';
update tenant set sections = jsonb_build_object('limits', consumption_limits, 'escalation', escalation);
alter table tenant drop column consumption_limits, drop column escalation;
