package io.switchboard.testing;

import io.switchboard.platform.ScopedConnections;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads the message table directly, to check what was really stored. */
@ApplicationScoped
public class StoredMessages {

    private final ScopedConnections connections;

    public StoredMessages(ScopedConnections connections) {
        this.connections = connections;
    }

    public List<Map<String, Object>> of(String conversationId) {
        return query("select * from message where conversation_id = ? order by seq", UUID.fromString(conversationId));
    }

    public Map<String, Object> conversation(String conversationId) {
        return query("select * from conversation where id = ?", UUID.fromString(conversationId))
                .get(0);
    }

    public Map<String, Object> contactOf(String conversationId) {
        return query(
                        "select c.* from contact c join conversation v on v.tenant_id = c.tenant_id and v.contact_id = c.id where v.id = ?",
                        UUID.fromString(conversationId))
                .get(0);
    }

    /** The tenant's events of this type in the outbox, oldest first, published or not. */
    public List<Map<String, Object>> events(UUID tenantId, String type) {
        return query("select * from outbox_event where tenant_id = ? and type = ? order by created_at", tenantId, type);
    }

    /** The conversation's events in the outbox, in the order the relay publishes them. */
    public List<Map<String, Object>> eventsOf(String conversationId) {
        return query("select * from outbox_event where event_key = ? order by seq", conversationId);
    }

    /** The tenant's conversation ratings, oldest first. */
    public List<Map<String, Object>> ratings(UUID tenantId) {
        return query("select * from conversation_rating where tenant_id = ? order by created_at", tenantId);
    }

    private List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = connections.forPlatform("test inspection");
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                ResultSetMetaData meta = result.getMetaData();
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnName(i), result.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
