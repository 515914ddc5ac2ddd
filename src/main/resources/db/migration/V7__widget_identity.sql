-- Verified identity: the name of the setting that holds a tenant's widget secret (never the
-- secret itself) and whether anonymous customers are refused.
alter table tenant add column identity_secret_ref varchar(200);
alter table tenant add column require_verified_identity boolean not null default false;
