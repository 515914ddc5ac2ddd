package io.switchboard.assistant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.switchboard.conversation.ConversationState;
import io.switchboard.conversation.MessageView;
import java.time.OffsetDateTime;

/**
 * The customer's stored message, the reply (none while a person owns the conversation), the state
 * after, and — when the conversation waits for a person while nobody can answer — {@code away},
 * with when the team is expected back if business hours say so.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TurnResult(
        MessageView message, MessageView reply, ConversationState state, OffsetDateTime awayUntil, boolean away) {

    public TurnResult(MessageView message, MessageView reply, ConversationState state) {
        this(message, reply, state, null, false);
    }

    TurnResult away(OffsetDateTime back) {
        return new TurnResult(message, reply, state, back, true);
    }
}
