package io.switchboard.conversation;

/** Who answers the customer: the bot, nobody yet (waiting for a person), a person, or nobody (closed). */
public enum ConversationState {
    BOT,
    PENDING_HUMAN,
    HUMAN,
    CLOSED
}
