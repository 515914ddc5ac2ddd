package io.switchboard.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.query.NativeQuery;

/**
 * The webhook deliveries read and removed in the caller's transaction. Queuing and sending them
 * happen outside any transaction, on connections of their own ({@link WebhookService},
 * {@link WebhookDispatcher}).
 */
@ApplicationScoped
class WebhookDeliveryRepository {

    private final EntityManager entities;

    WebhookDeliveryRepository(EntityManager entities) {
        this.entities = entities;
    }

    /** The webhook's deliveries, newest first; {@code status} (null: any) filters. */
    List<WebhookService.DeliveryView> ofWebhook(UUID webhookId, String status, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery(
                        "select id, event_id, event_type, status, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at "
                                + "from webhook_delivery where webhook_id = ?1 and (cast(?2 as text) is null or status = ?3) order by created_at desc limit ?4")
                .unwrap(NativeQuery.class)
                .setParameter(1, webhookId)
                .setParameter(2, status, String.class)
                .setParameter(3, status, String.class)
                .setParameter(4, limit)
                .addScalar("id", UUID.class)
                .addScalar("event_id", UUID.class)
                .addScalar("event_type", String.class)
                .addScalar("status", String.class)
                .addScalar("attempts", Integer.class)
                .addScalar("next_attempt_at", Instant.class)
                .addScalar("last_status", Integer.class)
                .addScalar("last_error", String.class)
                .addScalar("created_at", Instant.class)
                .addScalar("delivered_at", Instant.class)
                .getResultList();
        return rows.stream()
                .map(row -> new WebhookService.DeliveryView(
                        (UUID) row[0],
                        (UUID) row[1],
                        (String) row[2],
                        (String) row[3],
                        (Integer) row[4],
                        (Instant) row[5],
                        (Integer) row[6],
                        (String) row[7],
                        (Instant) row[8],
                        (Instant) row[9]))
                .toList();
    }

    /** How many of the webhook's deliveries are in each status that has any. */
    Map<String, Long> countsOfWebhook(UUID webhookId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery(
                        "select status, count(*) from webhook_delivery where webhook_id = ?1 group by status")
                .setParameter(1, webhookId)
                .getResultList();
        return rows.stream().collect(Collectors.toMap(row -> (String) row[0], row -> ((Number) row[1]).longValue()));
    }

    /** Deletes the deliveries of events keyed by these keys (erased conversations). */
    void deleteKeyed(String[] keys) {
        entities.createNativeQuery(
                        "delete from webhook_delivery where coalesce(key, payload ->> 'key') = any(cast(?1 as text[]))")
                .setParameter(1, keys)
                .executeUpdate();
    }
}
