-- Row-level security: a backstop under the ORM's tenant filter. The application connects as
-- ${appRole}, which neither owns these tables nor bypasses RLS; migrations run as the owner.
-- Every connection the application takes from its pool carries the tenant of the work in
-- switchboard.tenant_id, or switchboard.platform = 'on' for explicit platform-wide work
-- (see TenantScope and RowLevelSecurity); anything else sees no tenant's rows at all.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = '${appRole}') then
        execute format('create role %I login', '${appRole}');
    end if;
end
$$;

grant usage on schema public to "${appRole}";
grant select, insert, update, delete on all tables in schema public to "${appRole}";
grant usage, select on all sequences in schema public to "${appRole}";
alter default privileges in schema public grant select, insert, update, delete on tables to "${appRole}";
alter default privileges in schema public grant usage, select on sequences to "${appRole}";

-- Every table with a tenant_id column, so a table added without thinking of RLS is caught by
-- RowLevelSecurityTest rather than left open.
do $$
declare
    owned record;
begin
    for owned in
        select c.table_name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
    loop
        execute format('alter table %I enable row level security', owned.table_name);
        execute format('alter table %I force row level security', owned.table_name);
        execute format($policy$
            create policy tenant_isolation on %I
            using (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
                   or current_setting('switchboard.platform', true) = 'on')
            with check (tenant_id = nullif(current_setting('switchboard.tenant_id', true), '')::uuid
                   or current_setting('switchboard.platform', true) = 'on')
            $policy$, owned.table_name);
    end loop;
end
$$;
