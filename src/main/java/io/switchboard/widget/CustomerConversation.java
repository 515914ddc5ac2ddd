package io.switchboard.widget;

import io.switchboard.action.PendingAction;
import io.switchboard.conversation.ConversationState;
import io.switchboard.conversation.ConversationView;
import io.switchboard.conversation.MessageView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A conversation as its customer sees it, with the writes still waiting for their confirmation,
 * so a reloaded widget offers them again.
 */
public record CustomerConversation(
        UUID id,
        long number,
        ConversationState state,
        Instant createdAt,
        List<MessageView> messages,
        List<PendingAction> pendingActions) {

    static CustomerConversation of(ConversationView view, List<PendingAction> pendingActions) {
        return new CustomerConversation(
                view.id(), view.number(), view.state(), view.createdAt(), view.messages(), pendingActions);
    }
}
