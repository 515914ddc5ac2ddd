package io.switchboard.conversation;

import io.switchboard.model.UsageMeter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * What a tenant's assistant did and cost over a period (UTC days, both included): conversations
 * started, how many went to a person, tokens and dollars per model. {@code resolved} counts the
 * conversations the assistant handled without a person. {@code api} is what the tenant's own
 * calls to the OpenAI-compatible endpoint used; {@code totalCostUsd} adds both.
 */
public record UsageReport(
        LocalDate from,
        LocalDate to,
        long conversations,
        long escalated,
        long resolved,
        long inputTokens,
        long outputTokens,
        BigDecimal costUsd,
        BigDecimal costPerResolvedConversationUsd,
        boolean includesEstimatedTokens,
        List<ModelUsage> models,
        List<UsageMeter.ApiUsage> api,
        BigDecimal totalCostUsd) {

    public record ModelUsage(
            String endpoint,
            String model,
            long answers,
            long inputTokens,
            long outputTokens,
            BigDecimal costUsd,
            boolean includesEstimatedTokens) {}

    /** This report with the tenant's API use added. */
    public UsageReport withApi(List<UsageMeter.ApiUsage> apiUsage) {
        BigDecimal apiCost =
                apiUsage.stream().map(UsageMeter.ApiUsage::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new UsageReport(
                from,
                to,
                conversations,
                escalated,
                resolved,
                inputTokens,
                outputTokens,
                costUsd,
                costPerResolvedConversationUsd,
                includesEstimatedTokens,
                models,
                List.copyOf(apiUsage),
                costUsd.add(apiCost));
    }
}
