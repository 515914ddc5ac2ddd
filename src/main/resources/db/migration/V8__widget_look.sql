-- How a tenant's widget looks: title, colour, launcher position.
alter table tenant add column widget_look jsonb not null default '{}';
