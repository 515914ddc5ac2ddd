package io.switchboard.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.model.ModelRef;
import io.switchboard.model.ModelReply;
import io.switchboard.platform.ScopedConnections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hibernate.query.NativeQuery;

/**
 * Evaluations and their turns, in plain SQL: they are written from background threads, a turn at
 * a time, each in its own short statement under the tenant's row-level security. Only a new
 * evaluation is stored in the caller's transaction, with the checks and the audit entry of its start.
 */
@ApplicationScoped
class EvaluationRepository {

    /** An evaluation a replica has claimed to run. */
    record Claimed(UUID tenantId, UUID id) {}

    private static final String COLUMNS = """
            id, candidate_endpoint, candidate_model, judge_endpoint, judge_model, sample, state, done_turns, total_turns, summary,
            problem, created_by, created_at, started_at, finished_at""";

    private final ScopedConnections connections;
    private final EntityManager entities;
    private final ObjectMapper json;

    EvaluationRepository(ScopedConnections connections, EntityManager entities, ObjectMapper json) {
        this.connections = connections;
        this.entities = entities;
        this.json = json;
    }

    /** Stores a new evaluation in the caller's transaction. */
    void insert(UUID tenantId, Evaluation evaluation) {
        entities.createNativeQuery("""
                insert into evaluation (tenant_id, id, candidate_endpoint, candidate_model, judge_endpoint, judge_model, sample, state,
                    created_by, created_at) values (?1, ?2, ?3, ?4, ?5, ?6, cast(?7 as jsonb), 'queued', ?8, ?9)""")
                .unwrap(NativeQuery.class)
                .setParameter(1, tenantId, UUID.class)
                .setParameter(2, evaluation.id(), UUID.class)
                .setParameter(3, evaluation.candidate().endpoint(), String.class)
                .setParameter(4, evaluation.candidate().model(), String.class)
                .setParameter(
                        5,
                        evaluation.judge() == null ? null : evaluation.judge().endpoint(),
                        String.class)
                .setParameter(
                        6,
                        evaluation.judge() == null ? null : evaluation.judge().model(),
                        String.class)
                .setParameter(7, write(evaluation.sample()), String.class)
                .setParameter(8, evaluation.createdBy(), String.class)
                .setParameter(9, Timestamp.from(evaluation.createdAt()), Timestamp.class)
                .executeUpdate();
    }

    List<Evaluation> list(UUID tenantId, int limit) {
        return query(
                tenantId,
                "select " + COLUMNS + " from evaluation where tenant_id = ? order by created_at desc limit ?",
                this::evaluation,
                tenantId,
                limit);
    }

    Optional<Evaluation> find(UUID tenantId, UUID id) {
        return query(
                        tenantId,
                        "select " + COLUMNS + " from evaluation where tenant_id = ? and id = ?",
                        this::evaluation,
                        tenantId,
                        id)
                .stream()
                .findFirst();
    }

    /**
     * Takes the oldest evaluation waiting to run, or one whose replica stopped reporting, for this
     * replica: across replicas each runs on exactly one.
     */
    Optional<Claimed> claimNext(Duration staleAfter) {
        String sql = """
                update evaluation set state = 'running', heartbeat_at = now(), started_at = coalesce(started_at, now())
                where (tenant_id, id) = (
                    select tenant_id, id from evaluation
                    where state = 'queued' or (state = 'running' and heartbeat_at < now() - make_interval(secs => ?))
                    order by created_at limit 1 for update skip locked)
                returning tenant_id, id""";
        try (Connection connection = connections.forPlatform("evaluation claim");
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setDouble(1, staleAfter.toMillis() / 1000.0);
            try (ResultSet row = statement.executeQuery()) {
                return row.next()
                        ? Optional.of(new Claimed(row.getObject(1, UUID.class), row.getObject(2, UUID.class)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Claiming an evaluation failed", e);
        }
    }

    void planned(UUID tenantId, UUID id, int totalTurns) {
        update(
                tenantId,
                "update evaluation set total_turns = ?, heartbeat_at = now() where tenant_id = ? and id = ?",
                totalTurns,
                tenantId,
                id);
    }

    /** Stores a replayed turn and counts it; false when the evaluation was cancelled meanwhile. */
    boolean addTurn(UUID tenantId, UUID evaluationId, EvaluationTurn turn) {
        update(
                tenantId,
                """
                insert into evaluation_turn (tenant_id, evaluation_id, message_id, conversation_id, seq, outcome, escalation_reason,
                    expected_escalation, reply, citations, grounded, similarity, resolving, judge_score, ttft_ms, latency_ms,
                    input_tokens, output_tokens, cost_usd)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""",
                tenantId,
                evaluationId,
                turn.messageId(),
                turn.conversationId(),
                turn.seq(),
                turn.outcome().id(),
                turn.escalationReason(),
                turn.expectedEscalation(),
                turn.reply(),
                turn.citations() == null ? null : write(turn.citations()),
                turn.grounded(),
                turn.similarity(),
                turn.resolving(),
                turn.judgeScore(),
                turn.ttftMillis(),
                turn.latencyMillis(),
                turn.inputTokens(),
                turn.outputTokens(),
                turn.costUsd());
        return update(tenantId, """
                update evaluation set done_turns = (select count(*) from evaluation_turn where tenant_id = ? and evaluation_id = ?),
                    heartbeat_at = now() where tenant_id = ? and id = ? and state = 'running'""", tenantId, evaluationId, tenantId, evaluationId) > 0;
    }

    Set<UUID> doneMessages(UUID tenantId, UUID evaluationId) {
        return new HashSet<>(query(
                tenantId,
                "select message_id from evaluation_turn where tenant_id = ? and evaluation_id = ?",
                row -> row.getObject(1, UUID.class),
                tenantId,
                evaluationId));
    }

    List<EvaluationTurn> turns(UUID tenantId, UUID evaluationId) {
        return query(tenantId, """
                select message_id, conversation_id, seq, outcome, escalation_reason, expected_escalation, reply, citations, grounded,
                    similarity, resolving, judge_score, ttft_ms, latency_ms, input_tokens, output_tokens, cost_usd
                from evaluation_turn where tenant_id = ? and evaluation_id = ? order by conversation_id, seq""", this::turn, tenantId, evaluationId);
    }

    /** Ends a running (or, for a cancellation, a waiting) evaluation; false when it had already ended. */
    boolean finish(UUID tenantId, UUID id, Evaluation.State state, EvaluationSummary summary, String problem) {
        return update(tenantId, """
                update evaluation set state = ?, summary = cast(? as jsonb), problem = ?, finished_at = now()
                where tenant_id = ? and id = ? and state in ('queued', 'running')""", state.id(), summary == null ? null : write(summary), problem, tenantId, id) > 0;
    }

    private Evaluation evaluation(ResultSet row) throws SQLException {
        String judgeEndpoint = row.getString("judge_endpoint");
        String summary = row.getString("summary");
        return new Evaluation(
                row.getObject("id", UUID.class),
                new ModelRef(row.getString("candidate_endpoint"), row.getString("candidate_model")),
                judgeEndpoint == null ? null : new ModelRef(judgeEndpoint, row.getString("judge_model")),
                read(row.getString("sample"), new TypeReference<>() {}),
                Evaluation.State.of(row.getString("state")),
                new Evaluation.Progress(row.getInt("done_turns"), row.getInt("total_turns")),
                summary == null ? null : read(summary, new TypeReference<>() {}),
                row.getString("problem"),
                row.getString("created_by"),
                instant(row, "created_at"),
                instant(row, "started_at"),
                instant(row, "finished_at"));
    }

    private EvaluationTurn turn(ResultSet row) throws SQLException {
        String citations = row.getString("citations");
        return new EvaluationTurn(
                row.getObject("message_id", UUID.class),
                row.getObject("conversation_id", UUID.class),
                row.getInt("seq"),
                EvaluationTurn.Outcome.of(row.getString("outcome")),
                row.getString("escalation_reason"),
                row.getObject("expected_escalation", Boolean.class),
                row.getString("reply"),
                citations == null ? null : read(citations, new TypeReference<List<ModelReply.Citation>>() {}),
                row.getBoolean("grounded"),
                nullable(row, row.getDouble("similarity")),
                row.getBoolean("resolving"),
                nullable(row, row.getInt("judge_score")),
                nullable(row, row.getInt("ttft_ms")),
                nullable(row, row.getInt("latency_ms")),
                nullable(row, row.getInt("input_tokens")),
                nullable(row, row.getInt("output_tokens")),
                row.getBigDecimal("cost_usd"));
    }

    private static <T> T nullable(ResultSet row, T value) throws SQLException {
        return row.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp at = row.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private <T> List<T> query(UUID tenantId, String sql, RowMapper<T> mapper, Object... parameters) {
        try (Connection connection = connections.forTenant(tenantId);
                PreparedStatement statement = prepared(connection, sql, parameters);
                ResultSet row = statement.executeQuery()) {
            List<T> found = new ArrayList<>();
            while (row.next()) {
                found.add(mapper.map(row));
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading evaluations failed", e);
        }
    }

    private int update(UUID tenantId, String sql, Object... parameters) {
        try (Connection connection = connections.forTenant(tenantId);
                PreparedStatement statement = prepared(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Writing an evaluation failed", e);
        }
    }

    private static PreparedStatement prepared(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == null) {
                statement.setNull(i + 1, Types.NULL);
            } else {
                statement.setObject(i + 1, parameters[i]);
            }
        }
        return statement;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
