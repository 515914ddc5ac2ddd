package io.switchboard.conversation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A conversation in an agent's list: who owns it, why it escalated, since when it waits, and the
 * policy version it runs on ({@code canary} when it was drawn for that version's canary model),
 * its quality grade with the signals behind it (null until graded), and the channel it came in
 * through.
 */
public record ConversationSummary(
        UUID id,
        long number,
        UUID contactId,
        ChannelRef channel,
        ConversationState state,
        String escalationReason,
        String assignee,
        int messageCount,
        int modelPolicyVersion,
        boolean canary,
        Instant createdAt,
        Instant updatedAt,
        Instant escalatedAt,
        String flaggedReason,
        String grade,
        List<String> gradeReasons) {

    static ConversationSummary of(Conversation conversation) {
        return new ConversationSummary(
                conversation.id,
                conversation.number,
                conversation.contactId,
                new ChannelRef(conversation.channelId, conversation.channelType),
                conversation.state,
                conversation.escalationReason,
                conversation.assignee,
                conversation.messageCount,
                conversation.modelPolicyVersion,
                conversation.canary,
                conversation.createdAt,
                conversation.updatedAt,
                conversation.escalatedAt,
                conversation.flaggedReason,
                conversation.grade,
                conversation.gradeReasons == null ? List.of() : conversation.gradeReasons);
    }
}
