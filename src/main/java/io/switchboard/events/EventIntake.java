package io.switchboard.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What a consumer of the platform's events does first: read the envelope, and pass on an event
 * only the first time it arrives (delivery is at least once). Remembers the last
 * {@value #REMEMBERED} event ids.
 */
final class EventIntake {

    private static final Logger LOG = Logger.getLogger(EventIntake.class);
    private static final int REMEMBERED = 10_000;

    private final ObjectMapper json;
    private final Set<UUID> seen =
            Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));

    EventIntake(ObjectMapper json) {
        this.json = json;
    }

    /** The event, unless the payload is not one of ours or the event was seen before. */
    Optional<DomainEvent> firstTime(String payload) {
        DomainEvent event;
        try {
            event = json.readValue(payload, DomainEvent.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("Ignored an event that is not a Switchboard event: %s", e.getOriginalMessage());
            return Optional.empty();
        }
        return seen.add(event.id()) ? Optional.of(event) : Optional.empty();
    }
}
