package io.switchboard.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * The right to erasure, for what the event tables still hold: events (published or not) and
 * webhook deliveries keyed by the erased conversations, removed in the caller's transaction.
 */
@ApplicationScoped
public class EventErasure {

    private final WebhookDeliveryRepository deliveries;
    private final OutboxEventRepository events;

    public EventErasure(WebhookDeliveryRepository deliveries, OutboxEventRepository events) {
        this.deliveries = deliveries;
        this.events = events;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void eraseEventsKeyed(List<String> keys) {
        String[] keyArray = keys.toArray(String[]::new);
        deliveries.deleteKeyed(keyArray);
        events.deleteKeyed(keyArray);
    }
}
