-- What each bot answer cost, from the catalogue's prices; tokens are estimated (and flagged)
-- when the model server did not report usage.
alter table message add column cost_usd numeric(16, 8);
alter table message add column tokens_estimated boolean not null default false;
create index message_created_idx on message (tenant_id, created_at);
