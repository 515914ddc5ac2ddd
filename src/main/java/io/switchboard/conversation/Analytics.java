package io.switchboard.conversation;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * How a tenant's assistant did over a period (UTC days, both included). A conversation is
 * resolved when the bot answered it and it never went to a person (a closed conversation cannot
 * reopen: the customer starts a new one). Times are in seconds; null when nothing was measured.
 */
public record Analytics(
        LocalDate from,
        LocalDate to,
        long conversations,
        long resolved,
        long escalated,
        Double resolutionRate,
        Double escalationRate,
        List<Reason> escalationReasons,
        Seconds firstResponse,
        Seconds handoffWait,
        long stillWaiting,
        List<Day> days,
        List<UsageReport.ModelUsage> models,
        BigDecimal costUsd,
        BigDecimal costPerResolvedConversationUsd) {

    /** Why conversations went to a person, and how many. */
    public record Reason(String reason, long conversations) {}

    /** The median and 90th percentile of a wait, over {@code measured} conversations. */
    public record Seconds(Double median, Double p90, long measured) {

        /** From a row of median, 90th percentile and count, as the analytics queries return it. */
        static Seconds of(Object[] row) {
            return new Seconds(
                    row[0] == null ? null : ((Number) row[0]).doubleValue(),
                    row[1] == null ? null : ((Number) row[1]).doubleValue(),
                    row[2] == null ? 0 : ((Number) row[2]).longValue());
        }
    }

    /** One UTC day: conversations started (and of them escalated), and the bot's tokens and cost. */
    public record Day(
            LocalDate day,
            long conversations,
            long escalated,
            long inputTokens,
            long outputTokens,
            BigDecimal costUsd) {}
}
