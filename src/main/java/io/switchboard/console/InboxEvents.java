package io.switchboard.console;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.switchboard.events.DomainEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;

/**
 * Conversation changes for open inboxes. Every replica receives every live event (see
 * LiveEvents), so an agent connected to any replica sees changes made on any other.
 */
@ApplicationScoped
public class InboxEvents {

    private static final String CONVERSATION_EVENTS = "switchboard.conversation.";

    private final BroadcastProcessor<DomainEvent> changes = BroadcastProcessor.create();

    /** Synchronized: events arrive on several threads, a processor takes them one at a time. */
    synchronized void onEvent(@Observes DomainEvent event) {
        if (event.tenantId() != null && event.type().startsWith(CONVERSATION_EVENTS)) {
            changes.onNext(event);
        }
    }

    /** The tenant's conversation events from now on. */
    public Multi<DomainEvent> of(UUID tenantId) {
        return changes.filter(event -> tenantId.equals(event.tenantId()));
    }
}
