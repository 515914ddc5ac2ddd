package io.switchboard.conversation;

import java.util.List;

/** A conversation as agents and admins see it: every message with its provenance. */
public record Transcript(ConversationSummary conversation, List<TranscriptMessage> messages) {}
