package io.switchboard.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.conversation.ConversationService;
import io.switchboard.conversation.MessageRole;
import io.switchboard.events.DomainEvent;
import io.switchboard.events.EventType;
import io.switchboard.events.SharedEvents;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Passes the conversation events of added channels on to their types, once for the whole
 * platform (from the outbox, through the shared subscription): every bot, agent and system
 * message, and every change of state. The customer's own messages are not sent back to them.
 */
@ApplicationScoped
class ChannelCallbacks {

    private static final Logger LOG = Logger.getLogger(ChannelCallbacks.class);
    private static final Set<String> STATE_CHANGES = Set.of(
            EventType.CONVERSATION_ESCALATED.topic(),
            EventType.CONVERSATION_ASSIGNED.topic(),
            EventType.CONVERSATION_RELEASED.topic(),
            EventType.CONVERSATION_CLOSED.topic());
    /** What a callback tells of a message. */
    private static final Set<String> MESSAGE_FIELDS = Set.of("id", "role", "text", "citations");

    private final ChannelService channels;
    private final ConversationService conversations;

    ChannelCallbacks(ChannelService channels, ConversationService conversations) {
        this.channels = channels;
        this.conversations = conversations;
    }

    void pass(@Observes SharedEvents.Once once) throws InterruptedException {
        DomainEvent event = once.event();
        boolean message = event.type().equals(EventType.MESSAGE_CREATED.topic());
        if (event.tenantId() == null || !(message || STATE_CHANGES.contains(event.type()))) {
            return;
        }
        JsonNode data = event.data();
        if (message && data.path("message").path("role").asText().equals(MessageRole.CUSTOMER.wireName())) {
            return;
        }
        try {
            TenantScope.callChecked(event.tenantId(), () -> {
                pass(event, data, message);
                return null;
            });
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Other observers of the event (the tenant's webhooks) must still get it.
            LOG.warnf("Passing event %s on to its channel failed: %s", event.id(), e.getMessage());
        }
    }

    private void pass(DomainEvent event, JsonNode data, boolean message) throws InterruptedException {
        UUID conversationId = UUID.fromString(data.path("conversationId").asText());
        Optional<ConversationService.Origin> origin = conversations.origin(conversationId);
        Optional<ChannelType> type = origin.flatMap(
                        from -> channels.typeOf(from.channel().type()))
                .filter(found -> found.implicitName().isEmpty());
        if (type.isEmpty()) {
            return;
        }
        Optional<Channel> channel = channels.added(origin.get().channel().id());
        if (channel.isEmpty()) {
            return;
        }
        JsonNode said = null;
        if (message) {
            ObjectNode told = ((ObjectNode) data.path("message")).deepCopy();
            told.retain(MESSAGE_FIELDS);
            said = told;
        }
        type.get()
                .conversationChanged(
                        channel.get(),
                        new ConversationUpdate(
                                event,
                                conversationId,
                                origin.get().contactId(),
                                said,
                                data.path("state").asText()));
    }
}
