package io.switchboard.handoff;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A tenant's own escalation rules: words that send a conversation to a person at once
 * ("chargeback", "lawyer"), and how many of the bot's answers in a row the customer may mark
 * unhelpful before a person takes over (default {@value #DEFAULT_UNHELPFUL_ANSWERS}), and the
 * team's business hours (none: always in).
 */
public record EscalationRules(
        @Size(max = 100) List<@NotBlank @Size(max = 60) String> keywords,
        @Min(1) @Max(10) Integer unhelpfulAnswers,
        @Valid BusinessHours businessHours) {

    public static final int DEFAULT_UNHELPFUL_ANSWERS = 2;

    public EscalationRules {
        keywords = keywords == null ? List.of() : List.copyOf(keywords);
        unhelpfulAnswers = unhelpfulAnswers == null ? DEFAULT_UNHELPFUL_ANSWERS : unhelpfulAnswers;
    }

    public EscalationRules(List<String> keywords) {
        this(keywords, null, null);
    }

    /** When a person is expected to answer next, if nobody is now; empty when the team is in (or has no hours set). */
    public java.util.Optional<java.time.ZonedDateTime> awayUntil(java.time.Instant now) {
        if (businessHours == null || businessHours.isOpen(now)) {
            return java.util.Optional.empty();
        }
        return businessHours.nextOpening(now);
    }

    public static EscalationRules none() {
        return new EscalationRules(List.of());
    }
}
