package io.switchboard.conversation;

import java.time.Instant;
import java.util.UUID;

/** A conversation in an agent's list: who owns it, why it escalated, since when it waits. */
public record ConversationSummary(UUID id, long number, UUID contactId, ConversationState state, String escalationReason, String assignee,
        int messageCount, int modelPolicyVersion, Instant createdAt, Instant updatedAt, Instant escalatedAt, String flaggedReason) {

    static ConversationSummary of(Conversation conversation) {
        return new ConversationSummary(conversation.id, conversation.number, conversation.contactId, conversation.state, conversation.escalationReason,
                conversation.assignee, conversation.messageCount, conversation.modelPolicyVersion, conversation.createdAt,
                conversation.updatedAt, conversation.escalatedAt, conversation.flaggedReason);
    }
}
