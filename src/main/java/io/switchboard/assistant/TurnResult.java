package io.switchboard.assistant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.switchboard.conversation.ConversationState;
import io.switchboard.conversation.MessageView;
import java.time.OffsetDateTime;

/**
 * The customer's stored message, the reply (none while a person owns the conversation), the state
 * after, and — when the conversation waits for a person outside the team's business hours — when
 * they are expected back.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TurnResult(MessageView message, MessageView reply, ConversationState state, OffsetDateTime awayUntil) {

    public TurnResult(MessageView message, MessageView reply, ConversationState state) {
        this(message, reply, state, null);
    }

    TurnResult awayUntil(OffsetDateTime back) {
        return new TurnResult(message, reply, state, back);
    }
}
