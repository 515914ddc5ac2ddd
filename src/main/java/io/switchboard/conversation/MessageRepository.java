package io.switchboard.conversation;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Query;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.query.NativeQuery;

@ApplicationScoped
public class MessageRepository implements PanacheRepositoryBase<Message, UUID> {

    private static final MessageRoleConverter ROLES = new MessageRoleConverter();

    /** Every message, internal notes included: the agents' transcript. */
    public List<Message> inConversation(UUID conversationId) {
        return list("conversationId", Sort.ascending("seq"), conversationId);
    }

    /** The bot's latest answers, newest first. */
    public List<Message> latestBotAnswers(UUID conversationId, int limit) {
        return find("conversationId = ?1 and role = ?2", Sort.descending("seq"), conversationId, MessageRole.BOT)
                .page(0, limit)
                .list();
    }

    /** What the customer may see: everything but internal notes. */
    public List<Message> visibleToCustomer(UUID conversationId) {
        return list("conversationId = ?1 and role <> ?2", Sort.ascending("seq"), conversationId, MessageRole.NOTE);
    }

    /** Bot answers per model in a period; an HQL query, so the tenant filter applies. */
    public List<UsageReport.ModelUsage> usageByModel(Instant from, Instant to) {
        List<Object[]> rows = getEntityManager()
                .createQuery("""
                select m.modelEndpoint, m.modelName, count(m), coalesce(sum(m.inputTokens), 0), coalesce(sum(m.outputTokens), 0),
                       coalesce(sum(m.costUsd), 0), max(case when m.tokensEstimated = true then 1 else 0 end)
                from Message m
                where m.role = :bot and m.createdAt >= :from and m.createdAt < :to
                group by m.modelEndpoint, m.modelName
                order by m.modelEndpoint, m.modelName""", Object[].class)
                .setParameter("bot", MessageRole.BOT)
                .setParameter("from", from)
                .setParameter("to", to)
                .getResultList();
        return rows.stream()
                .map(row -> new UsageReport.ModelUsage(
                        (String) row[0],
                        (String) row[1],
                        ((Number) row[2]).longValue(),
                        ((Number) row[3]).longValue(),
                        ((Number) row[4]).longValue(),
                        (BigDecimal) row[5],
                        ((Number) row[6]).intValue() == 1))
                .toList();
    }

    /**
     * The last {@code limit} messages a model may read (no internal notes) up to the one numbered
     * {@code upToSeq}, oldest first, as read-only views: a turn's history ends at the message it
     * answers, even when a later one was stored in the same transaction. Every bot turn reads this,
     * so it is native, like the conversation's row lock: under the tenant filter Hibernate
     * translates HQL again on each execution, and managed entities would be dirty-checked at commit
     * for nothing.
     */
    public List<MessageView> latest(UUID conversationId, int upToSeq, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> newestFirst = getEntityManager()
                .createNativeQuery("""
                        select id, seq, role, text, created_at from message
                        where tenant_id = ?1 and conversation_id = ?2 and role <> ?3 and seq <= ?4
                        order by seq desc limit ?5""")
                .setParameter(1, TenantScope.require())
                .setParameter(2, conversationId)
                .setParameter(3, MessageRole.NOTE.wireName())
                .setParameter(4, upToSeq)
                .setParameter(5, limit)
                .unwrap(NativeQuery.class)
                .addScalar("id", UUID.class)
                .addScalar("seq", Integer.class)
                .addScalar("role", String.class)
                .addScalar("text", String.class)
                .addScalar("created_at", Instant.class)
                .getResultList();
        return newestFirst.reversed().stream()
                .map(row -> MessageView.words(
                        (UUID) row[0],
                        (Integer) row[1],
                        ROLES.convertToEntityAttribute((String) row[2]),
                        (String) row[3],
                        (Instant) row[4]))
                .toList();
    }

    /** The bot's tokens and cost on one UTC day. */
    public record DaySpend(long inputTokens, long outputTokens, BigDecimal costUsd) {}

    /** How long customers who wrote in a period waited for the first answer, the bot's or an agent's. */
    public Analytics.Seconds firstResponse(UUID tenant, Instant start, Instant end) {
        return Analytics.Seconds.of(
                (Object[]) analytics("""
                select percentile_cont(0.5) within group (order by w), percentile_cont(0.9) within group (order by w), count(w)
                from (select extract(epoch from (select min(r.created_at) from message r where r.tenant_id = q.tenant_id
                             and r.conversation_id = q.conversation_id and r.role in ('bot', 'agent') and r.created_at >= q.asked)
                             - q.asked) as w
                      from (select m.tenant_id, m.conversation_id, min(m.created_at) as asked from message m
                            where m.tenant_id = :tenant and m.role = 'customer' and m.created_at >= :start and m.created_at < :end
                            group by m.tenant_id, m.conversation_id) q) waits
                where w is not null""", tenant, start, end).getSingleResult());
    }

    /** The bot's spending on each UTC day of a period; a day without answers is missing. */
    public Map<LocalDate, DaySpend> dailySpend(UUID tenant, Instant start, Instant end) {
        Map<LocalDate, DaySpend> spend = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = analytics("""
                select cast(m.created_at at time zone 'UTC' as date), coalesce(sum(m.input_tokens), 0), coalesce(sum(m.output_tokens), 0),
                       coalesce(sum(m.cost_usd), 0)
                from message m where m.tenant_id = :tenant and m.role = 'bot' and m.created_at >= :start and m.created_at < :end
                group by 1""", tenant, start, end).getResultList();
        rows.forEach(row -> spend.put(
                (LocalDate) row[0],
                new DaySpend(((Number) row[1]).longValue(), ((Number) row[2]).longValue(), (BigDecimal) row[3])));
        return spend;
    }

    private Query analytics(String sql, UUID tenant, Instant start, Instant end) {
        return ConversationRepository.analytics(getEntityManager(), sql, tenant, start, end);
    }
}
