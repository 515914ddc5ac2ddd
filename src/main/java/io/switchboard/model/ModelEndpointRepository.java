package io.switchboard.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.ScopedConnections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.query.NativeQuery;

/**
 * The endpoints registered through the API, stored in PostgreSQL so every replica's catalogue
 * sees them. Platform data: no tenant owns an endpoint. The catalogue reads and registers them
 * from anywhere, on connections of their own (or the caller's transaction's); a change or a
 * removal is written in the transaction that also records its event and audit entry.
 */
@ApplicationScoped
class ModelEndpointRepository {

    /** One model of a registered endpoint and its prices in dollars per million tokens (null: unpriced). */
    record StoredModel(String name, BigDecimal inputUsdPerMTok, BigDecimal outputUsdPerMTok) {}

    private static final String COLUMNS =
            "id, base_url, kind, api_key_ref, models, connect_timeout_ms, first_token_timeout_ms, total_timeout_ms";

    private final ScopedConnections connections;
    private final EntityManager entities;
    private final ObjectMapper json;

    ModelEndpointRepository(ScopedConnections connections, EntityManager entities, ObjectMapper json) {
        this.connections = connections;
        this.entities = entities;
        this.json = json;
    }

    Optional<ModelEndpoint> find(String id) {
        List<ModelEndpoint> found = query("select " + COLUMNS + " from model_endpoint where id = ?", id);
        return found.stream().findFirst();
    }

    List<ModelEndpoint> all() {
        return query("select " + COLUMNS + " from model_endpoint order by id", null);
    }

    /** Stores the endpoint; false when one with its id exists already. */
    boolean insert(ModelEndpoint endpoint, String actor) {
        try (Connection connection = connections.forSharedTables();
                PreparedStatement write = connection.prepareStatement("insert into model_endpoint (" + COLUMNS
                        + ", created_by) values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) on conflict (id) do nothing")) {
            write.setString(1, endpoint.id());
            write.setString(2, endpoint.baseUrl().orElseThrow());
            write.setString(3, endpoint.kind());
            write.setString(4, endpoint.apiKeyRef().orElse(null));
            write.setString(5, models(endpoint));
            write.setInt(6, (int) endpoint.connectTimeout().toMillis());
            write.setInt(7, (int) endpoint.firstTokenTimeout().toMillis());
            write.setInt(8, (int) endpoint.totalTimeout().toMillis());
            write.setString(9, actor);
            return write.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Storing model endpoint " + endpoint.id() + " failed", e);
        }
    }

    /**
     * Replaces the stored settings of the endpoint, in the caller's transaction; false when it is
     * not (or no longer) stored. JDBC-style parameters: Hibernate would read {@code ?5::jsonb} as
     * one ordinal label.
     */
    boolean replace(ModelEndpoint endpoint, String actor) {
        return entities.createNativeQuery("update model_endpoint set (" + COLUMNS
                                + ", created_by) = (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) where id = ?")
                        .unwrap(NativeQuery.class)
                        .setParameter(1, endpoint.id(), String.class)
                        .setParameter(2, endpoint.baseUrl().orElseThrow(), String.class)
                        .setParameter(3, endpoint.kind(), String.class)
                        .setParameter(4, endpoint.apiKeyRef().orElse(null), String.class)
                        .setParameter(5, models(endpoint), String.class)
                        .setParameter(6, (int) endpoint.connectTimeout().toMillis(), Integer.class)
                        .setParameter(7, (int) endpoint.firstTokenTimeout().toMillis(), Integer.class)
                        .setParameter(8, (int) endpoint.totalTimeout().toMillis(), Integer.class)
                        .setParameter(9, actor, String.class)
                        .setParameter(10, endpoint.id(), String.class)
                        .executeUpdate()
                == 1;
    }

    /** Removes the endpoint, in the caller's transaction; false when it was not stored. */
    boolean delete(String id) {
        return entities.createNativeQuery("delete from model_endpoint where id = ?1")
                        .setParameter(1, id)
                        .executeUpdate()
                == 1;
    }

    private String models(ModelEndpoint endpoint) {
        List<StoredModel> models = endpoint.models().stream()
                .map(name -> {
                    ModelEndpoint.Price price = endpoint.prices().get(name);
                    return new StoredModel(
                            name, price == null ? null : price.input(), price == null ? null : price.output());
                })
                .toList();
        try {
            return json.writeValueAsString(models);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Storing model endpoint " + endpoint.id() + " failed", e);
        }
    }

    private List<ModelEndpoint> query(String sql, String id) {
        try (Connection connection = connections.forSharedTables();
                PreparedStatement query = connection.prepareStatement(sql)) {
            if (id != null) {
                query.setString(1, id);
            }
            List<ModelEndpoint> endpoints = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    endpoints.add(endpoint(rows));
                }
            }
            return endpoints;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Reading registered model endpoints failed", e);
        }
    }

    private ModelEndpoint endpoint(ResultSet row) throws SQLException, JsonProcessingException {
        List<StoredModel> models = json.readValue(row.getString("models"), new TypeReference<>() {});
        Map<String, ModelEndpoint.Price> prices = new HashMap<>();
        models.stream()
                .filter(model -> model.inputUsdPerMTok() != null && model.outputUsdPerMTok() != null)
                .forEach(model -> prices.put(
                        model.name(), new ModelEndpoint.Price(model.inputUsdPerMTok(), model.outputUsdPerMTok())));
        return new ModelEndpoint(
                row.getString("id"),
                OpenAiCompatibleProviderFactory.ID,
                row.getString("kind"),
                Optional.of(row.getString("base_url")),
                Optional.ofNullable(row.getString("api_key_ref")),
                models.stream().map(StoredModel::name).toList(),
                Duration.ofMillis(row.getInt("connect_timeout_ms")),
                Duration.ofMillis(row.getInt("first_token_timeout_ms")),
                Duration.ofMillis(row.getInt("total_timeout_ms")),
                Map.copyOf(prices),
                Optional.empty());
    }
}
