package io.switchboard.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
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
    private final EventIntake intake;
    private final Event<DomainEvent> observers;

    public LiveEvents(ObjectMapper json, Event<DomainEvent> observers) {
        this.intake = new EventIntake(json);
        this.observers = observers;
    }

    @Incoming("live-events")
    public void receive(String payload) {
        intake.firstTime(payload).ifPresent(event -> {
            try {
                observers.fire(event);
            } catch (RuntimeException e) {
                LOG.warnf("A live consumer failed on event %s (%s): %s", event.id(), event.type(), e.getMessage());
            }
        });
    }
}
