package io.switchboard.conversation;

import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The tenant's analytics, computed by PostgreSQL from the conversations and messages themselves
 * (so every replica and every restart agrees): volumes, resolution and escalation rates and
 * reasons, first-response and hand-off waits, tokens and cost per day and per model. Queries name
 * the tenant explicitly (on top of row-level security) so they use the tenant-leading indexes.
 */
@ApplicationScoped
public class ConversationAnalytics {

    private final EntityManager entities;
    private final MessageRepository messages;
    private final ConversationRepository conversations;

    public ConversationAnalytics(
            EntityManager entities, MessageRepository messages, ConversationRepository conversations) {
        this.entities = entities;
        this.messages = messages;
        this.conversations = conversations;
    }

    @Transactional
    public Analytics report(LocalDate from, LocalDate to) {
        UUID tenant = TenantScope.require();
        Instant start = UtcDays.startOf(from);
        Instant end = UtcDays.endOf(to);

        Outcomes outcomes = conversations.outcomes(start, end);

        List<Analytics.Reason> reasons = rows("""
                select c.escalation_reason, count(*) from conversation c
                where c.tenant_id = :tenant and c.created_at >= :start and c.created_at < :end and c.escalation_reason is not null
                group by c.escalation_reason order by count(*) desc, c.escalation_reason""", tenant, start, end).stream()
                .map(row -> new Analytics.Reason((String) row[0], number(row[1])))
                .toList();

        Analytics.Seconds firstResponse =
                seconds((Object[]) query("""
                select percentile_cont(0.5) within group (order by w), percentile_cont(0.9) within group (order by w), count(w)
                from (select extract(epoch from (select min(r.created_at) from message r where r.tenant_id = q.tenant_id
                             and r.conversation_id = q.conversation_id and r.role in ('bot', 'agent') and r.created_at >= q.asked)
                             - q.asked) as w
                      from (select m.tenant_id, m.conversation_id, min(m.created_at) as asked from message m
                            where m.tenant_id = :tenant and m.role = 'customer' and m.created_at >= :start and m.created_at < :end
                            group by m.tenant_id, m.conversation_id) q) waits
                where w is not null""", tenant, start, end).getSingleResult());

        Analytics.Seconds handoffWait =
                seconds((Object[]) query("""
                select percentile_cont(0.5) within group (order by w), percentile_cont(0.9) within group (order by w), count(w)
                from (select extract(epoch from (select min(a.created_at) from message a where a.tenant_id = c.tenant_id
                             and a.conversation_id = c.id and a.role = 'agent' and a.created_at >= c.escalated_at) - c.escalated_at) as w
                      from conversation c
                      where c.tenant_id = :tenant and c.escalated_at >= :start and c.escalated_at < :end) waits
                where w is not null""", tenant, start, end).getSingleResult());
        long stillWaiting = number(query("""
                select count(*) from conversation c where c.tenant_id = :tenant and c.state = 'PENDING_HUMAN'
                and c.escalated_at >= :start and c.escalated_at < :end""", tenant, start, end).getSingleResult());

        Map<LocalDate, long[]> volumes = new TreeMap<>();
        rows("""
                select cast(c.created_at at time zone 'UTC' as date), count(*), count(c.escalation_reason) from conversation c
                where c.tenant_id = :tenant and c.created_at >= :start and c.created_at < :end group by 1""", tenant, start, end)
                .forEach(row -> volumes.put((LocalDate) row[0], new long[] {number(row[1]), number(row[2])}));
        Map<LocalDate, Object[]> spend = new TreeMap<>();
        rows("""
                select cast(m.created_at at time zone 'UTC' as date), coalesce(sum(m.input_tokens), 0), coalesce(sum(m.output_tokens), 0),
                       coalesce(sum(m.cost_usd), 0)
                from message m where m.tenant_id = :tenant and m.role = 'bot' and m.created_at >= :start and m.created_at < :end
                group by 1""", tenant, start, end).forEach(row -> spend.put((LocalDate) row[0], row));
        List<Analytics.Day> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            long[] volume = volumes.getOrDefault(day, new long[2]);
            Object[] used = spend.get(day);
            days.add(new Analytics.Day(
                    day,
                    volume[0],
                    volume[1],
                    used == null ? 0 : number(used[1]),
                    used == null ? 0 : number(used[2]),
                    used == null ? BigDecimal.ZERO : (BigDecimal) used[3]));
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

    private Query query(String sql, UUID tenant, Instant start, Instant end) {
        return entities.createNativeQuery(sql)
                .setParameter("tenant", tenant)
                .setParameter("start", start)
                .setParameter("end", end);
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, UUID tenant, Instant start, Instant end) {
        return query(sql, tenant, start, end).getResultList();
    }

    private static Analytics.Seconds seconds(Object[] row) {
        return new Analytics.Seconds(
                row[0] == null ? null : ((Number) row[0]).doubleValue(),
                row[1] == null ? null : ((Number) row[1]).doubleValue(),
                number(row[2]));
    }

    private static Double rate(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
