package io.switchboard.testing;

import io.agroal.api.AgroalDataSource;
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

    private final AgroalDataSource dataSource;

    public StoredMessages(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<Map<String, Object>> of(String conversationId) {
        return query("select * from message where conversation_id = ? order by seq", UUID.fromString(conversationId));
    }

    public Map<String, Object> conversation(String conversationId) {
        return query("select * from conversation where id = ?", UUID.fromString(conversationId)).get(0);
    }

    public Map<String, Object> contactOf(String conversationId) {
        return query("select c.* from contact c join conversation v on v.tenant_id = c.tenant_id and v.contact_id = c.id where v.id = ?",
                UUID.fromString(conversationId)).get(0);
    }

    private List<Map<String, Object>> query(String sql, Object parameter) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, parameter);
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
