package io.switchboard.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Set;
import java.util.UUID;

/**
 * Every row a tenant owns, in every table with a {@code tenant_id} column: read from the schema,
 * so a table a feature adds later is never forgotten when a tenant is deleted. The one place that
 * writes across features' tables, as the backup does: it knows tables, not features.
 */
@ApplicationScoped
public class TenantRows {

    private final TenantTablesRepository tables;

    public TenantRows(TenantTablesRepository tables) {
        this.tables = tables;
    }

    /** Deletes the tenant's rows from every table but {@code kept}, in the caller's platform transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void eraseAll(UUID tenantId, Set<String> kept) {
        for (String table : tables.withTenantColumn()) {
            if (!kept.contains(table)) {
                tables.deleteRowsOf(table, tenantId);
            }
        }
    }
}
