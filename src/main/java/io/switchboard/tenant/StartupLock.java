package io.switchboard.tenant;

import io.switchboard.platform.ScopedConnections;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Start-up work that replicas starting together must do one at a time: creating the bootstrap
 * credentials and applying the tenant files check what exists and then create it, and two replicas
 * doing that at once would both create it. A PostgreSQL advisory lock, held on a connection of its
 * own while the work runs, makes the second replica wait and then find it done.
 */
@ApplicationScoped
public class StartupLock {

    private static final String LOCK = "switchboard.startup";

    private final ScopedConnections connections;

    public StartupLock(ScopedConnections connections) {
        this.connections = connections;
    }

    public void runAlone(Runnable work) {
        try (Connection connection = connections.forPlatform("start-up lock")) {
            call(connection, "select pg_advisory_lock(hashtext(?))");
            try {
                work.run();
            } finally {
                call(connection, "select pg_advisory_unlock(hashtext(?))");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not take the start-up lock: " + e.getMessage(), e);
        }
    }

    private static void call(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, LOCK);
            statement.execute();
        }
    }
}
