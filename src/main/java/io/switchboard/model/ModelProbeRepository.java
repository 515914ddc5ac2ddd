package io.switchboard.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.switchboard.platform.ScopedConnections;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** The latest probe per catalogue model: platform data, read from anywhere. */
@ApplicationScoped
public class ModelProbeRepository implements PanacheRepositoryBase<ModelProbe, ModelProbe.Key> {

    private final ScopedConnections connections;

    ModelProbeRepository(ScopedConnections connections) {
        this.connections = connections;
    }

    /**
     * Every probed model's capabilities, on a connection of its own: read by the router's background
     * refresh. Whether it embeds is read from the stored result (a probe before that check left it out: unknown).
     */
    Map<ModelRef, Capabilities> capabilities() {
        Map<ModelRef, Capabilities> found = new HashMap<>();
        try (Connection connection = connections.forSharedTables();
                PreparedStatement read =
                        connection.prepareStatement("select endpoint_id, model, tools, json_mode, images,"
                                + " (result -> 'capabilities' ->> 'embeddings')::boolean from model_probe");
                ResultSet rows = read.executeQuery()) {
            while (rows.next()) {
                found.put(
                        new ModelRef(rows.getString(1), rows.getString(2)),
                        new Capabilities(
                                rows.getObject(3, Boolean.class),
                                rows.getObject(4, Boolean.class),
                                rows.getObject(5, Boolean.class),
                                rows.getObject(6, Boolean.class)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the models' capabilities failed", e);
        }
        return found;
    }
}
