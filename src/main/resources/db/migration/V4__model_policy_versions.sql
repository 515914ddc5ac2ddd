-- Every change of a tenant's model policy is a new version: who, when, what. A conversation
-- keeps the version it started with; each bot message records the version that produced it.
create table model_policy_version (
    tenant_id   uuid         not null references tenant (id) on delete cascade,
    version     integer      not null,
    policy      jsonb        not null,
    changed_by  varchar(200) not null,
    created_at  timestamptz  not null,
    primary key (tenant_id, version)
);

alter table tenant add column model_policy_version integer not null default 1;
-- Endpoints the operator lets this tenant use; null means every endpoint of the catalogue.
alter table tenant add column allowed_endpoints jsonb;

insert into model_policy_version (tenant_id, version, policy, changed_by, created_at)
select id, 1, model_policy, 'migration', now() from tenant;

alter table conversation add column model_policy_version integer not null default 1;
alter table message add column model_policy_version integer;
