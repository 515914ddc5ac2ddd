package io.switchboard.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Every row a tenant owns, in every table with a {@code tenant_id} column: read from the schema,
 * so a table a feature adds later is never forgotten when a tenant is deleted. The one place that
 * writes across features' tables, as the backup does: it knows tables, not features.
 */
@ApplicationScoped
public class TenantRows {

    private final EntityManager entities;

    public TenantRows(EntityManager entities) {
        this.entities = entities;
    }

    /** Deletes the tenant's rows from every table but {@code kept}, in the caller's platform transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void eraseAll(UUID tenantId, Set<String> kept) {
        @SuppressWarnings("unchecked")
        List<String> owned = entities.createNativeQuery("""
                select c.table_name from information_schema.columns c
                join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                where c.table_schema = current_schema() and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
                """).getResultList();
        for (String table : owned) {
            if (!kept.contains(table)) {
                entities.createNativeQuery("delete from \"" + table + "\" where tenant_id = ?1")
                        .setParameter(1, tenantId)
                        .executeUpdate();
            }
        }
    }
}
