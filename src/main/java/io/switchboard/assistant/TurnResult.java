package io.switchboard.assistant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.switchboard.action.PendingAction;
import io.switchboard.conversation.ConversationState;
import io.switchboard.conversation.MessageView;
import java.time.OffsetDateTime;

/**
 * The customer's stored message, the reply (none while a person owns the conversation), the state
 * after, when the conversation waits for a person while nobody can answer — {@code away},
 * with when the team is expected back if business hours say so — and the write the reply asks the
 * customer to confirm or decline ({@code pendingAction}, null when none).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TurnResult(
        MessageView message,
        MessageView reply,
        ConversationState state,
        OffsetDateTime awayUntil,
        boolean away,
        PendingAction pendingAction) {

    public TurnResult(MessageView message, MessageView reply, ConversationState state) {
        this(message, reply, state, null, false, null);
    }

    TurnResult away(OffsetDateTime back) {
        return new TurnResult(message, reply, state, back, true, pendingAction);
    }

    TurnResult pending(PendingAction offered) {
        return new TurnResult(message, reply, state, awayUntil, away, offered);
    }
}
