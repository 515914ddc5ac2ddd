package io.switchboard.conversation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A conversation as its customer sees it. */
public record ConversationView(
        UUID id, long number, ConversationState state, Instant createdAt, List<MessageView> messages) {}
