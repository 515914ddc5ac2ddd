package io.switchboard.platform;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Plain JDBC connections for statements outside any JTA transaction, taken for one tenant or,
 * explicitly, for the platform. Row-level security reads the scope when a connection is taken
 * from the pool, so the scope only needs to hold while taking it. Inside a JTA transaction the
 * pool hands back the transaction's own connection, scoped when it was first taken: statements
 * there go through the EntityManager (see docs/architecture.md, "Data access"). Outside the
 * platform package, the only way to a JDBC connection.
 */
@ApplicationScoped
public class ScopedConnections {

    private final AgroalDataSource database;

    public ScopedConnections(AgroalDataSource database) {
        this.database = database;
    }

    public Connection forTenant(UUID tenantId) throws SQLException {
        return TenantScope.call(tenantId, this::take);
    }

    /** Sees every tenant's rows: see {@link TenantScope#asPlatform}. */
    public Connection forPlatform(String reason) throws SQLException {
        return TenantScope.asPlatform(reason, this::take);
    }

    /**
     * For tables no tenant owns (no {@code tenant_id}, no row-level security), read from anywhere:
     * taken in whatever scope the caller is in, so when the caller is in a JTA transaction that
     * has not touched the database yet, taking it leaves the transaction scoped as it would have
     * been.
     */
    public Connection forSharedTables() throws SQLException {
        return take();
    }

    private Connection take() {
        try {
            return database.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("No database connection", e);
        }
    }
}
