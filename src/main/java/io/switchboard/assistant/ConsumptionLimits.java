package io.switchboard.assistant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.switchboard.handoff.EscalationReason;
import io.switchboard.tenant.TenantSection;
import io.switchboard.tenant.TenantSettings;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Locale;

/**
 * How much model work one tenant's assistant may spend (OWASP LLM10, unbounded consumption):
 * per answer, per conversation, per contact and per tenant. Every field is optional and falls
 * back to a safe default, so a tenant that never heard of limits still has them.
 */
public record ConsumptionLimits(
        @Min(16) @Max(8192) Integer maxOutputTokensPerTurn,
        @Min(1) @Max(10_000) Integer maxTurnsPerConversation,
        @Min(1_000) @Max(100_000_000) Integer maxTokensPerConversation,
        @Min(1_000) @Max(1_000_000_000) Integer tokensPerContactPerHour,
        @Min(1_000) @Max(1_000_000_000) Integer tokensPerTenantPerMinute,
        OnExceeded onExceeded,
        @Min(1) @Max(20) Integer maxToolCallsPerTurn) {

    public static final ConsumptionLimits DEFAULT = new ConsumptionLimits(null, null, null, null, null, null, null);

    /** Where a tenant keeps its limits. */
    public static final TenantSection<ConsumptionLimits> SECTION =
            new TenantSection<>("limits", ConsumptionLimits.class, DEFAULT);

    public static ConsumptionLimits of(TenantSettings tenant) {
        return tenant.section(SECTION);
    }

    public ConsumptionLimits {
        // A support answer is a few paragraphs; a model that goes on past this is rambling or being abused.
        maxOutputTokensPerTurn = maxOutputTokensPerTurn == null ? 800 : maxOutputTokensPerTurn;
        maxTurnsPerConversation = maxTurnsPerConversation == null ? 50 : maxTurnsPerConversation;
        maxTokensPerConversation = maxTokensPerConversation == null ? 200_000 : maxTokensPerConversation;
        tokensPerContactPerHour = tokensPerContactPerHour == null ? 100_000 : tokensPerContactPerHour;
        tokensPerTenantPerMinute = tokensPerTenantPerMinute == null ? 1_000_000 : tokensPerTenantPerMinute;
        onExceeded = onExceeded == null ? OnExceeded.END_TURN : onExceeded;
        // A lookup or two answers most requests; a model that keeps calling is looping, and a person does better.
        maxToolCallsPerTurn = maxToolCallsPerTurn == null ? 5 : maxToolCallsPerTurn;
    }

    /** What a turn beyond a limit does: the bot says politely it stops here, or a person takes over. */
    public enum OnExceeded {
        END_TURN,
        HANDOFF;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @JsonCreator
        public static OnExceeded of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** The limits a turn can run into, as they appear in metrics and escalation reasons. */
    public enum Limit {
        OUTPUT_TOKENS_PER_TURN,
        TURNS_PER_CONVERSATION,
        TOKENS_PER_CONVERSATION,
        CONTACT_TOKEN_RATE,
        TENANT_TOKEN_RATE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Why a conversation goes to a person when this limit stops the bot and the tenant's limits hand off. */
        public EscalationReason escalationReason() {
            return EscalationReason.valueOf("LIMIT_" + name());
        }
    }
}
