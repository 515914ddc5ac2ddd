-- The model feature owns a tenant's model policy: the policy in force, its version and the
-- catalogue endpoints the operator allows the tenant, moved out of the tenant table so that the
-- tenant feature stores nothing it does not understand.
create table model_policy (
    tenant_id uuid primary key references tenant (id),
    policy jsonb not null,
    version integer not null,
    allowed_endpoints jsonb,
    updated_at timestamptz not null
);

insert into model_policy (tenant_id, policy, version, allowed_endpoints, updated_at)
select id, model_policy, model_policy_version, allowed_endpoints, updated_at from tenant;

alter table tenant drop column model_policy, drop column model_policy_version, drop column allowed_endpoints;

alter table model_policy enable row level security;
alter table model_policy force row level security;
create policy tenant_isolation on model_policy
    using (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on')
    with check (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
           or current_setting('switchboard.platform', true) = 'on');
