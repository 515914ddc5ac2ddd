package io.switchboard.assistant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.switchboard.conversation.ConversationState;
import io.switchboard.conversation.MessageView;

/** The customer's stored message, the reply (none while a person owns the conversation) and the state after. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TurnResult(MessageView message, MessageView reply, ConversationState state) {
}
