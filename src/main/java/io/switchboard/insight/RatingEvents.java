package io.switchboard.insight;

import java.util.UUID;

/** The data of rating events (envelope: {@code events.DomainEvent}). Version 1. */
public final class RatingEvents {

    private RatingEvents() {}

    /** The customer rated the conversation; {@code comment} is null when they wrote none. */
    public record Rated(UUID conversationId, int score, String comment) {}
}
