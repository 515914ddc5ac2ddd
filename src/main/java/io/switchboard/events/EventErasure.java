package io.switchboard.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * The right to erasure, for what the event tables still hold: events (published or not) and
 * webhook deliveries keyed by the erased conversations, removed in the caller's transaction.
 */
@ApplicationScoped
public class EventErasure {

    private final EntityManager entities;

    public EventErasure(EntityManager entities) {
        this.entities = entities;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void eraseEventsKeyed(List<String> keys) {
        String[] keyArray = keys.toArray(String[]::new);
        entities.createNativeQuery("delete from webhook_delivery where payload ->> 'key' = any(cast(?1 as text[]))")
                .setParameter(1, keyArray)
                .executeUpdate();
        entities.createNativeQuery("delete from outbox_event where event_key = any(cast(?1 as text[]))")
                .setParameter(1, keyArray)
                .executeUpdate();
    }
}
