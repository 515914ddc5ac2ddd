package io.switchboard.conversation;

import io.switchboard.conversation.ConversationService.Appended;
import io.switchboard.events.EventType;
import io.switchboard.events.Outbox;
import io.switchboard.platform.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * How a conversation changes, for every service of the feature: a message appended in order, its
 * message-created event, a state change and its event, an escalation. Callers hold the
 * conversation's row lock ({@link #locked}) inside their transaction.
 */
@ApplicationScoped
class ConversationLedger {

    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final Outbox outbox;

    ConversationLedger(ConversationRepository conversations, MessageRepository messages, Outbox outbox) {
        this.conversations = conversations;
        this.messages = messages;
        this.outbox = outbox;
    }

    /** A system message about a person's action, which the customer hears of through the live channels. */
    Appended announce(Conversation conversation, String text) {
        return recorded(conversation, append(conversation, MessageRole.SYSTEM, text), ConversationEvents.Origin.AGENT);
    }
    /** Records the message-created event in this transaction: published only if the message is stored. */
    Appended recorded(Conversation conversation, Message message, ConversationEvents.Origin origin) {
        MessageView view = MessageView.of(message);
        outbox.record(
                EventType.MESSAGE_CREATED,
                UUID.fromString(conversation.tenantId),
                conversation.id.toString(),
                new ConversationEvents.MessageCreated(conversation.id, view, conversation.state, origin));
        return new Appended(view, conversation.state);
    }

    void stateChanged(Conversation conversation, EventType type) {
        outbox.record(
                type,
                UUID.fromString(conversation.tenantId),
                conversation.id.toString(),
                new ConversationEvents.StateChanged(
                        conversation.id, conversation.state, conversation.escalationReason, conversation.assignee));
    }

    void escalate(Conversation conversation, String reason) {
        if (conversation.state == ConversationState.BOT) {
            conversation.state = ConversationState.PENDING_HUMAN;
            conversation.escalationReason = reason;
            conversation.escalatedAt = Instant.now();
            stateChanged(conversation, EventType.CONVERSATION_ESCALATED);
        }
    }

    Conversation locked(UUID conversationId) {
        Conversation conversation =
                conversations.lockInTenant(List.of(conversationId)).get(conversationId);
        if (conversation == null) {
            throw ProblemException.notFound("Conversation");
        }
        return conversation;
    }

    Message append(Conversation conversation, MessageRole role, String text) {
        return append(conversation, role, text, message -> {});
    }
    /** {@code details} completes the message before it is persisted, so it is inserted whole rather than inserted and then updated. */
    Message append(Conversation conversation, MessageRole role, String text, Consumer<Message> details) {
        Instant now = Instant.now();
        Message message = new Message();
        message.id = UUID.randomUUID();
        message.conversationId = conversation.id;
        message.seq = ++conversation.messageCount;
        message.role = role;
        message.text = text;
        message.createdAt = now;
        details.accept(message);
        messages.persist(message);
        conversation.updatedAt = now;
        return message;
    }
}
