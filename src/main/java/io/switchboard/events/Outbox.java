package io.switchboard.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * Records domain events in the caller's transaction: the event exists exactly when the change
 * it describes was committed. The relay publishes it afterwards.
 */
@ApplicationScoped
public class Outbox {

    private final OutboxEventRepository events;
    private final ObjectMapper json;
    private final Event<Recorded> recorded;

    public Outbox(OutboxEventRepository events, ObjectMapper json, Event<Recorded> recorded) {
        this.events = events;
        this.json = json;
        this.recorded = recorded;
    }

    /** Fired in the recording transaction; the relay observes it after commit to publish at once. */
    public record Recorded() {}

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(EventType type, UUID tenantId, String key, Object data) {
        OutboxEvent event = new OutboxEvent();
        event.id = UUID.randomUUID();
        event.tenantId = tenantId;
        event.type = type.topic();
        event.key = key;
        event.payload = json.valueToTree(data);
        event.createdAt = Instant.now();
        events.persist(event);
        recorded.fire(new Recorded());
    }
}
