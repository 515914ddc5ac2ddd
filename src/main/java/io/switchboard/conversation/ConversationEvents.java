package io.switchboard.conversation;

import java.util.UUID;

/**
 * The data of conversation events (the envelope is {@code events.DomainEvent}). Version 1; a
 * change that removes or renames a field needs a new version.
 */
public final class ConversationEvents {

    private ConversationEvents() {}

    /** Who caused a message: the customer's own turn (its reply went back on the request) or a person's action. */
    public enum Origin {
        /** The customer's message and what the assistant answered to it. */
        TURN,
        /** Something a person did; the customer hears of it only through the live channels. */
        AGENT
    }

    public record Started(UUID conversationId, long number, UUID contactId, int modelPolicyVersion) {}

    public record MessageCreated(UUID conversationId, MessageView message, ConversationState state, Origin origin) {}

    /** The customer left an email for the team to answer, typically out of business hours. */
    public record EmailLeft(UUID conversationId, UUID contactId, String email) {}

    /** The customer marked one of the bot's answers helpful or not. */
    public record AnswerRated(UUID conversationId, UUID messageId, boolean helpful) {}

    /** Escalated, assigned, released or closed: the state after, and why or to whom. */
    public record StateChanged(
            UUID conversationId, ConversationState state, String escalationReason, String assignee) {}
}
