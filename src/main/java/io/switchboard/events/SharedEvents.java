package io.switchboard.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.reactive.messaging.annotations.Blocking;
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
 * The platform's events as one consumer group shared by all replicas (on Kafka, group
 * {@code switchboard-shared}): each event reaches exactly one replica, which hands it to the
 * observers of {@link Once} there — tenant webhooks and analytics counters — so nothing is done
 * once per replica. An event redelivered to the same replica is passed on once.
 */
@ApplicationScoped
public class SharedEvents {

    private static final Logger LOG = Logger.getLogger(SharedEvents.class);
    private static final int REMEMBERED = 10_000;

    /** An event for work the whole platform does once; {@code payload} is the envelope as published. */
    public record Once(DomainEvent event, String payload) {
    }

    private final ObjectMapper json;
    private final Event<Once> observers;
    private final Set<UUID> seen = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    }));

    public SharedEvents(ObjectMapper json, Event<Once> observers) {
        this.json = json;
        this.observers = observers;
    }

    @Incoming("shared-events")
    @Blocking
    public void receive(String payload) {
        DomainEvent event;
        try {
            event = json.readValue(payload, DomainEvent.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("Ignored an event that is not a Switchboard event: %s", e.getOriginalMessage());
            return;
        }
        if (seen.add(event.id())) {
            observers.fire(new Once(event, payload));
        }
    }
}
