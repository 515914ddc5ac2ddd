package io.switchboard.tenant;

import io.agroal.api.AgroalPoolInterceptor;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Hands PostgreSQL's row-level security the tenant of the work at hand: every connection taken
 * from the pool is told {@link TenantScope}'s tenant (or the explicit platform bypass) before
 * it is used, so a query that forgets its tenant condition still sees only that tenant's rows.
 * At startup it refuses a database role that would make the policies moot.
 */
@ApplicationScoped
public class RowLevelSecurity implements AgroalPoolInterceptor {

    private static final String SETTINGS = "select set_config('switchboard.tenant_id', ?, false), set_config('switchboard.platform', ?, false)";

    @Override
    public void onConnectionAcquire(Connection connection) {
        try (PreparedStatement settings = connection.prepareStatement(SETTINGS)) {
            settings.setString(1, TenantScope.current().map(UUID::toString).orElse(""));
            settings.setString(2, TenantScope.isPlatform() ? "on" : "off");
            settings.execute();
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
                throw new IllegalStateException("The database role '" + role.getString(1) + "' owns the tables or bypasses"
                        + " row-level security, so tenants would not be isolated. Connect as the application role"
                        + " (SWITCHBOARD_DB_USER) and run migrations as the owner (SWITCHBOARD_DB_OWNER_USER); see README.");
            }
        }
    }
}
