package io.switchboard.platform;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Plain JDBC connections for code outside the ORM, taken for one tenant or, explicitly, for the
 * platform. Row-level security reads the scope when a connection is taken from the pool, so the
 * scope only needs to hold while taking it. Not for use inside a JTA transaction, whose
 * connection was taken (and scoped) already.
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

    private Connection take() {
        try {
            return database.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("No database connection", e);
        }
    }
}
