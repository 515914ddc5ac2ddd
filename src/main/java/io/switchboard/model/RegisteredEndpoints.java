package io.switchboard.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
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

/**
 * The endpoints registered through the API, stored in PostgreSQL so every replica's catalogue
 * sees them. Platform data: no tenant owns an endpoint.
 */
@ApplicationScoped
class RegisteredEndpoints {

    /** One model of a registered endpoint and its prices in dollars per million tokens (null: unpriced). */
    record StoredModel(String name, BigDecimal inputUsdPerMTok, BigDecimal outputUsdPerMTok) {}

    private static final String COLUMNS =
            "id, base_url, kind, api_key_ref, models, connect_timeout_ms, first_token_timeout_ms, total_timeout_ms";

    private final AgroalDataSource database;
    private final ObjectMapper json;

    RegisteredEndpoints(AgroalDataSource database, ObjectMapper json) {
        this.database = database;
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
        return write(
                "insert into model_endpoint (" + COLUMNS + ", created_by) values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) "
                        + "on conflict (id) do nothing",
                endpoint,
                actor,
                false);
    }

    /** Replaces the stored settings of the endpoint; false when it is not (or no longer) stored. */
    boolean replace(ModelEndpoint endpoint, String actor) {
        return write(
                "update model_endpoint set (" + COLUMNS
                        + ", created_by) = (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) where id = ?",
                endpoint,
                actor,
                true);
    }

    /** Removes the endpoint; false when it was not stored. */
    boolean delete(String id) {
        try (Connection connection = database.getConnection();
                PreparedStatement delete = connection.prepareStatement("delete from model_endpoint where id = ?")) {
            delete.setString(1, id);
            return delete.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Deleting model endpoint " + id + " failed", e);
        }
    }

    /** Runs an insert or update whose parameters are the columns, the actor and, for an update, the id again. */
    private boolean write(String sql, ModelEndpoint endpoint, String actor, boolean update) {
        List<StoredModel> models = endpoint.models().stream()
                .map(name -> {
                    ModelEndpoint.Price price = endpoint.prices().get(name);
                    return new StoredModel(
                            name, price == null ? null : price.input(), price == null ? null : price.output());
                })
                .toList();
        try (Connection connection = database.getConnection();
                PreparedStatement write = connection.prepareStatement(sql)) {
            write.setString(1, endpoint.id());
            write.setString(2, endpoint.baseUrl().orElseThrow());
            write.setString(3, endpoint.kind());
            write.setString(4, endpoint.apiKeyRef().orElse(null));
            write.setString(5, json.writeValueAsString(models));
            write.setInt(6, (int) endpoint.connectTimeout().toMillis());
            write.setInt(7, (int) endpoint.firstTokenTimeout().toMillis());
            write.setInt(8, (int) endpoint.totalTimeout().toMillis());
            write.setString(9, actor);
            if (update) {
                write.setString(10, endpoint.id());
            }
            return write.executeUpdate() == 1;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Storing model endpoint " + endpoint.id() + " failed", e);
        }
    }

    private List<ModelEndpoint> query(String sql, String id) {
        try (Connection connection = database.getConnection();
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
