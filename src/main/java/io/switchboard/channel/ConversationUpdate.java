package io.switchboard.channel;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.events.DomainEvent;
import java.util.UUID;

/**
 * What a channel passes on of one conversation event: the message (null for a state change alone;
 * its {@code id}, {@code role}, {@code text} and, for the bot's, {@code citations}) and the
 * conversation's state after it. {@code contactId} is the contact as the channel knows them.
 */
public record ConversationUpdate(
        DomainEvent event, UUID conversationId, String contactId, JsonNode message, String state) {}
