package io.switchboard.handoff;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.switchboard.tenant.TenantSection;
import io.switchboard.tenant.TenantSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Arrays;
import java.util.List;

/**
 * A tenant's own escalation rules: words that send a conversation to a person at once
 * ("chargeback", "lawyer"), and how many of the bot's answers in a row the customer may mark
 * unhelpful before a person takes over (default {@value #DEFAULT_UNHELPFUL_ANSWERS}), the
 * team's business hours (none: always in), how a waiting conversation finds its agent, and
 * whether a hand-off while no agent has the inbox open counts as "away" (the customer is told
 * and offered to leave an email), for teams that work from the inbox, and whether a message that
 * looks like a prompt injection goes to a person (it is always flagged for review).
 */
public record EscalationRules(
        @Size(max = 100) List<@NotBlank @Size(max = 60) String> keywords,
        @Min(1) @Max(10) Integer unhelpfulAnswers,
        @Valid BusinessHours businessHours,
        Assignment assignment,
        Boolean awayWhenNoAgentOnline,
        Boolean escalateOnInjection) {

    /** Agents claim waiting conversations from the inbox, or each goes at once to the next online agent in turn. */
    public enum Assignment {
        CLAIM("claim"),
        ROUND_ROBIN("round-robin");

        private final String id;

        Assignment(String id) {
            this.id = id;
        }

        @JsonValue
        public String id() {
            return id;
        }

        @JsonCreator
        public static Assignment of(String id) {
            return Arrays.stream(values())
                    .filter(assignment -> assignment.id.equals(id))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "unknown assignment '" + id + "' (known: claim, round-robin)"));
        }
    }

    public static final int DEFAULT_UNHELPFUL_ANSWERS = 2;

    /** Where a tenant keeps its rules. */
    public static final TenantSection<EscalationRules> SECTION =
            new TenantSection<>("escalation", EscalationRules.class, none());

    public EscalationRules {
        keywords = keywords == null ? List.of() : List.copyOf(keywords);
        unhelpfulAnswers = unhelpfulAnswers == null ? DEFAULT_UNHELPFUL_ANSWERS : unhelpfulAnswers;
        assignment = assignment == null ? Assignment.CLAIM : assignment;
        awayWhenNoAgentOnline = awayWhenNoAgentOnline != null && awayWhenNoAgentOnline;
        escalateOnInjection = escalateOnInjection != null && escalateOnInjection;
    }

    public EscalationRules(List<String> keywords) {
        this(keywords, null, null, null, null, null);
    }

    /** When a person is expected to answer next, if nobody is now; empty when the team is in (or has no hours set). */
    public java.util.Optional<java.time.ZonedDateTime> awayUntil(java.time.Instant now) {
        if (businessHours == null || businessHours.isOpen(now)) {
            return java.util.Optional.empty();
        }
        return businessHours.nextOpening(now);
    }

    public static EscalationRules of(TenantSettings tenant) {
        return tenant.section(SECTION);
    }

    public static EscalationRules none() {
        return new EscalationRules(List.of());
    }
}
