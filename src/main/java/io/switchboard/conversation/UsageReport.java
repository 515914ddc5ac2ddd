package io.switchboard.conversation;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * What a tenant's assistant did and cost over a period (UTC days, both included): conversations
 * started, how many went to a person, tokens and dollars per model. {@code resolved} counts the
 * conversations the assistant handled without a person.
 */
public record UsageReport(LocalDate from, LocalDate to, long conversations, long escalated, long resolved, long inputTokens,
        long outputTokens, BigDecimal costUsd, BigDecimal costPerResolvedConversationUsd, boolean includesEstimatedTokens,
        List<ModelUsage> models) {

    public record ModelUsage(String endpoint, String model, long answers, long inputTokens, long outputTokens, BigDecimal costUsd,
            boolean includesEstimatedTokens) {
    }
}
