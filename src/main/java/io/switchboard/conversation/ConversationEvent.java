package io.switchboard.conversation;

import java.util.UUID;

/**
 * A message a person or the platform added to a conversation, and the state after it. Fired in
 * the transaction that stored it and observed after commit, so nobody hears of a change that
 * did not happen.
 */
public record ConversationEvent(int version, UUID tenantId, UUID conversationId, MessageView message, ConversationState state) {

    public static final int VERSION = 1;
}
