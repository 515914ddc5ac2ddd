package io.switchboard.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.UUID;

/** The schema's tenant-owned tables and their rows, in the caller's transaction. */
@ApplicationScoped
class TenantTablesRepository {

    private final EntityManager entities;

    TenantTablesRepository(EntityManager entities) {
        this.entities = entities;
    }

    /** Every table of the schema with a {@code tenant_id} column. */
    @SuppressWarnings("unchecked")
    List<String> withTenantColumn() {
        return entities.createNativeQuery("""
                select c.table_name from information_schema.columns c
                join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                where c.table_schema = current_schema() and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
                """).getResultList();
    }

    void deleteRowsOf(String table, UUID tenantId) {
        entities.createNativeQuery("delete from \"" + table + "\" where tenant_id = ?1")
                .setParameter(1, tenantId)
                .executeUpdate();
    }
}
