package io.switchboard.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.query.NativeQuery;

/** Writes waiting for the customer's agreement, read and moved on in the caller's transaction. */
@ApplicationScoped
class PendingActionRepository {

    /** A stored pending action: the call to make once confirmed, and where its decision stands. */
    record Stored(PreparedCall call, UUID id, String state, Instant createdAt, Instant expiresAt, Instant decidedAt) {

        boolean expired(Instant now) {
            return "expired".equals(state) || ("pending".equals(state) && !expiresAt.isAfter(now));
        }
    }

    private final EntityManager entities;
    private final ObjectMapper json;

    PendingActionRepository(EntityManager entities, ObjectMapper json) {
        this.entities = entities;
        this.json = json;
    }

    void insert(UUID id, PreparedCall call, Instant now, Instant expiresAt) {
        entities.createNativeQuery("""
                        insert into pending_action (tenant_id, id, action_id, action_name, conversation_id, customer_id,
                            arguments, summary, action_version, state, created_at, expires_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, cast(?7 as jsonb), ?8, ?9, 'pending', ?10, ?11)""")
                .unwrap(NativeQuery.class)
                .setParameter(1, call.tenantId())
                .setParameter(2, id)
                .setParameter(3, call.actionId())
                .setParameter(4, call.actionName())
                .setParameter(5, call.conversationId())
                .setParameter(6, call.customerId(), String.class)
                .setParameter(7, call.arguments().toString())
                .setParameter(8, call.summary())
                .setParameter(9, Timestamp.from(call.actionVersion()))
                .setParameter(10, Timestamp.from(now))
                .setParameter(11, Timestamp.from(expiresAt))
                .executeUpdate();
    }

    /**
     * Moves the conversation's pending action out of {@code pending} into {@code state}, only when
     * it is still pending (and, unless it expires now, not yet expired): true for the one caller that
     * moved it, false for every other, however many decide at once.
     */
    boolean decide(UUID conversationId, UUID id, String state, Instant now) {
        return entities.createNativeQuery("""
                        update pending_action set state = ?1, decided_at = ?2
                        where id = ?3 and conversation_id = ?4 and state = 'pending'
                          and (?1 = 'expired' or expires_at > ?2)""")
                        .setParameter(1, state)
                        .setParameter(2, Timestamp.from(now))
                        .setParameter(3, id)
                        .setParameter(4, conversationId)
                        .executeUpdate()
                == 1;
    }

    /** The conversation's pending action with this id (another conversation's is not found). */
    Optional<Stored> find(UUID conversationId, UUID id) {
        return stored(entities.createNativeQuery(COLUMNS + "where id = ?1 and conversation_id = ?2")
                        .unwrap(NativeQuery.class)
                        .setParameter(1, id)
                        .setParameter(2, conversationId))
                .stream()
                .findFirst();
    }

    /** The actions offered in a conversation for confirmation, oldest first. */
    List<Stored> inConversation(UUID conversationId) {
        return stored(entities.createNativeQuery(COLUMNS + "where conversation_id = ?1 order by created_at, id")
                .unwrap(NativeQuery.class)
                .setParameter(1, conversationId));
    }

    private static final String COLUMNS = "select tenant_id, id, action_id, action_name, conversation_id, customer_id,"
            + " arguments::text, summary, action_version, state, created_at, expires_at, decided_at from pending_action ";

    @SuppressWarnings("unchecked")
    private List<Stored> stored(NativeQuery<?> query) {
        List<?> rows = query.addScalar("tenant_id", UUID.class)
                .addScalar("id", UUID.class)
                .addScalar("action_id", UUID.class)
                .addScalar("action_name", String.class)
                .addScalar("conversation_id", UUID.class)
                .addScalar("customer_id", String.class)
                .addScalar("arguments", String.class)
                .addScalar("summary", String.class)
                .addScalar("action_version", Instant.class)
                .addScalar("state", String.class)
                .addScalar("created_at", Instant.class)
                .addScalar("expires_at", Instant.class)
                .addScalar("decided_at", Instant.class)
                .getResultList();
        return ((List<Object[]>) rows)
                .stream()
                        .map(row -> new Stored(
                                new PreparedCall(
                                        (UUID) row[0],
                                        (UUID) row[2],
                                        (String) row[3],
                                        (UUID) row[4],
                                        (String) row[5],
                                        arguments((String) row[6]),
                                        (String) row[7],
                                        true,
                                        (Instant) row[8]),
                                (UUID) row[1],
                                (String) row[9],
                                (Instant) row[10],
                                (Instant) row[11],
                                (Instant) row[12]))
                        .toList();
    }

    private ObjectNode arguments(String text) {
        try {
            return (ObjectNode) json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
