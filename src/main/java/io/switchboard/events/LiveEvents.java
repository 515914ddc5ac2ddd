package io.switchboard.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Every replica's own subscription to the platform's events (on Kafka, a consumer group per
 * replica), handed to this replica's observers of {@link DomainEvent} — the live channels of
 * the customers and agents connected here. An event seen twice (a redelivery) is passed on once.
 */
@ApplicationScoped
public class LiveEvents {

    private static final Logger LOG = Logger.getLogger(LiveEvents.class);
    private static final int REMEMBERED = 10_000;

    private final ObjectMapper json;
    private final Event<DomainEvent> observers;
    private final Set<UUID> seen = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    }));

    public LiveEvents(ObjectMapper json, Event<DomainEvent> observers) {
        this.json = json;
        this.observers = observers;
    }

    @Incoming("live-events")
    public void receive(String payload) {
        DomainEvent event;
        try {
            event = json.readValue(payload, DomainEvent.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("Ignored an event that is not a Switchboard event: %s", e.getOriginalMessage());
            return;
        }
        if (!seen.add(event.id())) {
            return;
        }
        try {
            observers.fire(event);
        } catch (RuntimeException e) {
            LOG.warnf("A live consumer failed on event %s (%s): %s", event.id(), event.type(), e.getMessage());
        }
    }
}
