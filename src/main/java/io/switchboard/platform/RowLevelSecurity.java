package io.switchboard.platform;

import io.agroal.api.AgroalPoolInterceptor;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.UUID;
import java.util.WeakHashMap;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Hands PostgreSQL's row-level security the tenant of the work at hand: every connection taken
 * from the pool is told {@link TenantScope}'s tenant (or the explicit platform bypass) before
 * it is used, so a query that forgets its tenant condition still sees only that tenant's rows.
 * At startup it refuses a database role that would make the policies moot.
 */
@ApplicationScoped
public class RowLevelSecurity implements AgroalPoolInterceptor {

    private static final String SETTINGS =
            "select set_config('switchboard.tenant_id', ?, false), set_config('switchboard.platform', ?, false)";

    /**
     * The scope each pooled connection's session holds for certain, so a connection taken again
     * for the same scope costs no statement: a bot turn's two transactions are each one round trip
     * shorter. A setting made inside a transaction is only certain once it commits (a rollback
     * undoes it), so it is remembered then. Weak keys: a connection the pool closes is forgotten.
     */
    private final Map<PGConnection, String> held = Collections.synchronizedMap(new WeakHashMap<>());

    private final TransactionSynchronizationRegistry transactions;

    public RowLevelSecurity(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    @Override
    public void onConnectionAcquire(Connection connection) {
        String tenant = TenantScope.current().map(UUID::toString).orElse("");
        String platform = TenantScope.isPlatform() ? "on" : "off";
        String scope = tenant + "/" + platform;
        try {
            PGConnection session = connection.unwrap(PGConnection.class);
            if (scope.equals(held.get(session))) {
                return;
            }
            held.remove(session);
            try (PreparedStatement settings = connection.prepareStatement(SETTINGS)) {
                settings.setString(1, tenant);
                settings.setString(2, platform);
                settings.execute();
            }
            if (connection.getAutoCommit()) {
                held.put(session, scope);
            } else if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
                transactions.registerInterposedSynchronization(new Synchronization() {
                    @Override
                    public void beforeCompletion() {}

                    @Override
                    public void afterCompletion(int status) {
                        if (status == Status.STATUS_COMMITTED) {
                            held.put(session, scope);
                        }
                    }
                });
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set the tenant of a database connection", e);
        }
    }

    /** A superuser, a role with BYPASSRLS or the tables' owner would see every tenant whatever the policies say. */
    void checkRole(@Observes StartupEvent started, DataSource database) throws SQLException {
        try (Connection connection = database.getConnection();
                ResultSet role = connection.createStatement().executeQuery("""
                        select current_user, r.rolsuper or r.rolbypassrls,
                               exists (select 1 from pg_tables where schemaname = 'public' and tableowner = current_user)
                        from pg_roles r where r.rolname = current_user""")) {
            role.next();
            if (role.getBoolean(2) || role.getBoolean(3)) {
                throw new IllegalStateException(
                        "The database role '" + role.getString(1) + "' owns the tables or bypasses"
                                + " row-level security, so tenants would not be isolated. Connect as the application role"
                                + " (SWITCHBOARD_DB_USER) and run migrations as the owner (SWITCHBOARD_DB_OWNER_USER); see docs/configuration.md.");
            }
        }
    }
}
