package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.query.NativeQuery;

/** The record of action calls, written and read in the caller's transaction. */
@ApplicationScoped
class ActionCallRepository {

    private final EntityManager entities;
    private final ObjectMapper json;

    ActionCallRepository(EntityManager entities, ObjectMapper json) {
        this.entities = entities;
        this.json = json;
    }

    /** Records a call; {@code arguments} must already be masked. */
    void insert(
            UUID tenantId,
            UUID actionId,
            UUID conversationId,
            JsonNode arguments,
            ActionOutcome outcome,
            boolean test) {
        entities.createNativeQuery("""
                        insert into action_call (tenant_id, id, action_id, action_name, conversation_id, arguments,
                            outcome, status, reason, duration_ms, created_at, test)
                        values (?1, ?2, ?3, ?4, ?5, cast(?6 as jsonb), ?7, ?8, ?9, ?10, ?11, ?12)""")
                .unwrap(NativeQuery.class)
                .setParameter(1, tenantId)
                .setParameter(2, UUID.randomUUID())
                .setParameter(3, actionId)
                .setParameter(4, outcome.action())
                .setParameter(5, conversationId, UUID.class)
                .setParameter(6, arguments.toString())
                .setParameter(7, outcome.kind().id())
                .setParameter(8, outcome.status(), Integer.class)
                .setParameter(9, outcome.reason(), String.class)
                .setParameter(10, (int) Math.min(Integer.MAX_VALUE, outcome.durationMs()))
                .setParameter(11, Timestamp.from(Instant.now()))
                .setParameter(12, test)
                .executeUpdate();
    }

    private static final String COLUMNS =
            "select id, action_name, conversation_id, arguments::text, outcome, status, reason, duration_ms, created_at, test ";

    /** The action's calls, newest first. */
    List<ActionDefinitions.CallView> ofAction(UUID actionId, int limit) {
        return views(entities.createNativeQuery(
                        COLUMNS + "from action_call where action_id = ?1 order by created_at desc, id limit ?2")
                .unwrap(NativeQuery.class)
                .setParameter(1, actionId)
                .setParameter(2, limit));
    }

    /** The calls made in a conversation, oldest first. */
    List<ActionDefinitions.CallView> inConversation(UUID conversationId) {
        return views(entities.createNativeQuery(
                        COLUMNS + "from action_call where conversation_id = ?1 order by created_at, id")
                .unwrap(NativeQuery.class)
                .setParameter(1, conversationId));
    }

    @SuppressWarnings("unchecked")
    private List<ActionDefinitions.CallView> views(NativeQuery<?> query) {
        List<?> result = query.addScalar("id", UUID.class)
                .addScalar("action_name", String.class)
                .addScalar("conversation_id", UUID.class)
                .addScalar("arguments", String.class)
                .addScalar("outcome", String.class)
                .addScalar("status", Integer.class)
                .addScalar("reason", String.class)
                .addScalar("duration_ms", Integer.class)
                .addScalar("created_at", Instant.class)
                .addScalar("test", Boolean.class)
                .getResultList();
        return ((List<Object[]>) result)
                .stream()
                        .map(row -> new ActionDefinitions.CallView(
                                (UUID) row[0],
                                (String) row[1],
                                (UUID) row[2],
                                read((String) row[3]),
                                (String) row[4],
                                (Integer) row[5],
                                (String) row[6],
                                (Integer) row[7],
                                (Instant) row[8],
                                (Boolean) row[9]))
                        .toList();
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
