package io.switchboard.handoff;

import io.switchboard.platform.ScopedConnections;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Which agents are online: those with the inbox open, on any replica. An open inbox reports
 * every {@link #HEARTBEAT}; an agent not heard from for {@link #ONLINE_WITHIN} is offline, so a
 * replica that dies takes its agents offline within that time without anyone cleaning up.
 */
@ApplicationScoped
public class AgentPresence {

    public static final Duration HEARTBEAT = Duration.ofSeconds(20);
    static final Duration ONLINE_WITHIN = HEARTBEAT.multipliedBy(3);

    private final ScopedConnections connections;

    public AgentPresence(ScopedConnections connections) {
        this.connections = connections;
    }

    public void seen(UUID tenantId, String username) {
        update(tenantId, """
                insert into agent_presence (tenant_id, username, last_seen_at) values (?, ?, now())
                on conflict (tenant_id, username) do update set last_seen_at = now()""", username);
    }

    public void gone(UUID tenantId, String username) {
        update(tenantId, "delete from agent_presence where tenant_id = ? and username = ?", username);
    }

    public List<String> online(UUID tenantId) {
        List<String> agents = new ArrayList<>();
        try (Connection connection = connections.forTenant(tenantId);
                PreparedStatement query = connection.prepareStatement(
                        "select username from agent_presence where tenant_id = ? and last_seen_at > now() - make_interval(secs => ?) order by username")) {
            query.setObject(1, tenantId);
            query.setLong(2, ONLINE_WITHIN.toSeconds());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    agents.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading agent presence failed", e);
        }
        return agents;
    }

    /**
     * Picks the online agent with the fewest conversations in hand, and among equals the one who
     * was given one longest ago, and notes the pick; empty when nobody is online.
     */
    public Optional<String> nextInTurn(UUID tenantId) {
        try (Connection connection = connections.forTenant(tenantId);
                PreparedStatement pick = connection.prepareStatement("""
                update agent_presence set last_assigned_at = now()
                where tenant_id = ? and username = (
                    select p.username from agent_presence p
                    where p.tenant_id = ? and p.last_seen_at > now() - make_interval(secs => ?)
                    order by (select count(*) from conversation c
                              where c.tenant_id = p.tenant_id and c.state = 'HUMAN' and c.assignee = p.username),
                             p.last_assigned_at nulls first, p.username
                    limit 1 for update skip locked)
                returning username""")) {
            pick.setObject(1, tenantId);
            pick.setObject(2, tenantId);
            pick.setLong(3, ONLINE_WITHIN.toSeconds());
            try (ResultSet row = pick.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Choosing an agent failed", e);
        }
    }

    private void update(UUID tenantId, String sql, String username) {
        try (Connection connection = connections.forTenant(tenantId);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, tenantId);
            statement.setString(2, username);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Recording agent presence failed", e);
        }
    }
}
