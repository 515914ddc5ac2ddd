-- Which platform keys came from SWITCHBOARD_BOOTSTRAP_API_KEY: a start revokes those that no
-- longer match the setting, so rotating it retires the old key.
alter table api_key add column bootstrap boolean not null default false;
update api_key set bootstrap = true where tenant_id is null and name = 'bootstrap';
