package io.switchboard.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The platform's events as one consumer group shared by all replicas (on Kafka, group
 * {@code switchboard-shared}): each event reaches exactly one replica, which hands it to the
 * observers of {@link Once} there — tenant webhooks and analytics counters — so nothing is done
 * once per replica. An event redelivered to the same replica is passed on once.
 */
@ApplicationScoped
public class SharedEvents {

    /** An event for work the whole platform does once; {@code payload} is the envelope as published. */
    public record Once(DomainEvent event, String payload) {}

    private final EventIntake intake;
    private final Event<Once> observers;

    public SharedEvents(ObjectMapper json, Event<Once> observers) {
        this.intake = new EventIntake(json);
        this.observers = observers;
    }

    @Incoming("shared-events")
    @Blocking
    public void receive(String payload) {
        intake.firstTime(payload).ifPresent(event -> observers.fire(new Once(event, payload)));
    }
}
