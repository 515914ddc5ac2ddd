package io.switchboard.conversation;

import io.switchboard.conversation.ConversationRepository.DayVolume;
import io.switchboard.conversation.MessageRepository.DaySpend;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tenant's analytics, computed by PostgreSQL from the conversations and messages themselves
 * (so every replica and every restart agrees): volumes, resolution and escalation rates and
 * reasons, first-response and hand-off waits, tokens and cost per day and per model.
 */
@ApplicationScoped
public class ConversationAnalytics {

    private final MessageRepository messages;
    private final ConversationRepository conversations;

    public ConversationAnalytics(MessageRepository messages, ConversationRepository conversations) {
        this.messages = messages;
        this.conversations = conversations;
    }

    @Transactional
    public Analytics report(LocalDate from, LocalDate to) {
        UUID tenant = TenantScope.require();
        Instant start = UtcDays.startOf(from);
        Instant end = UtcDays.endOf(to);

        Outcomes outcomes = conversations.outcomes(start, end);
        List<Analytics.Reason> reasons = conversations.escalationReasons(tenant, start, end);
        Analytics.Seconds firstResponse = messages.firstResponse(tenant, start, end);
        Analytics.Seconds handoffWait = conversations.handoffWait(tenant, start, end);
        long stillWaiting = conversations.stillWaiting(tenant, start, end);

        Map<LocalDate, DayVolume> volumes = conversations.dailyVolumes(tenant, start, end);
        Map<LocalDate, DaySpend> spend = messages.dailySpend(tenant, start, end);
        List<Analytics.Day> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            DayVolume volume = volumes.getOrDefault(day, DayVolume.NONE);
            DaySpend used = spend.get(day);
            days.add(new Analytics.Day(
                    day,
                    volume.conversations(),
                    volume.escalated(),
                    used == null ? 0 : used.inputTokens(),
                    used == null ? 0 : used.outputTokens(),
                    used == null ? BigDecimal.ZERO : used.costUsd()));
        }

        List<UsageReport.ModelUsage> models = messages.usageByModel(start, end);
        BigDecimal cost = models.stream().map(UsageReport.ModelUsage::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Analytics(
                from,
                to,
                outcomes.conversations(),
                outcomes.resolved(),
                outcomes.escalated(),
                rate(outcomes.resolved(), outcomes.conversations()),
                rate(outcomes.escalated(), outcomes.conversations()),
                reasons,
                firstResponse,
                handoffWait,
                stillWaiting,
                days,
                models,
                cost,
                outcomes.costPerResolved(cost));
    }

    private static Double rate(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
