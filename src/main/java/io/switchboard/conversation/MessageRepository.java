package io.switchboard.conversation;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class MessageRepository implements PanacheRepositoryBase<Message, UUID> {

    /** Every message, internal notes included: the agents' transcript. */
    public List<Message> inConversation(UUID conversationId) {
        return list("conversationId", Sort.ascending("seq"), conversationId);
    }

    /** The bot's latest answers, newest first. */
    public List<Message> latestBotAnswers(UUID conversationId, int limit) {
        return find("conversationId = ?1 and role = ?2", Sort.descending("seq"), conversationId, MessageRole.BOT).page(0, limit).list();
    }

    /** What the customer may see: everything but internal notes. */
    public List<Message> visibleToCustomer(UUID conversationId) {
        return list("conversationId = ?1 and role <> ?2", Sort.ascending("seq"), conversationId, MessageRole.NOTE);
    }

    /** Bot answers per model in a period; an HQL query, so the tenant filter applies. */
    public List<UsageReport.ModelUsage> usageByModel(Instant from, Instant to) {
        List<Object[]> rows = getEntityManager().createQuery("""
                select m.modelEndpoint, m.modelName, count(m), coalesce(sum(m.inputTokens), 0), coalesce(sum(m.outputTokens), 0),
                       coalesce(sum(m.costUsd), 0), max(case when m.tokensEstimated = true then 1 else 0 end)
                from Message m
                where m.role = :bot and m.createdAt >= :from and m.createdAt < :to
                group by m.modelEndpoint, m.modelName
                order by m.modelEndpoint, m.modelName""", Object[].class)
                .setParameter("bot", MessageRole.BOT).setParameter("from", from).setParameter("to", to)
                .getResultList();
        return rows.stream().map(row -> new UsageReport.ModelUsage((String) row[0], (String) row[1], ((Number) row[2]).longValue(),
                ((Number) row[3]).longValue(), ((Number) row[4]).longValue(), (BigDecimal) row[5], ((Number) row[6]).intValue() == 1))
                .toList();
    }

    /** The last {@code limit} messages a model may read (no internal notes), oldest first. */
    public List<Message> latest(UUID conversationId, int limit) {
        List<Message> newestFirst = find("conversationId = ?1 and role <> ?2", Sort.descending("seq"), conversationId, MessageRole.NOTE)
                .page(0, limit).list();
        return newestFirst.reversed();
    }
}
