package io.switchboard.conversation;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Queries go through HQL so Hibernate's tenant filter applies (a load by id would skip it); the
 * one native query names the tenant in scope itself.
 */
@ApplicationScoped
public class ConversationRepository implements PanacheRepositoryBase<Conversation, UUID> {

    public Optional<Conversation> findInTenant(UUID id) {
        return find("id", id).firstResultOptional();
    }

    /**
     * Locks the rows so concurrent turns of one conversation append messages one at a time. Every
     * message stored takes this lock, so it is native SQL naming the tenant itself: Hibernate
     * translated the locking HQL query anew on each execution under the tenant filter. The lock is
     * the one Hibernate takes for a pessimistic write on PostgreSQL. Rows are locked in id order, so
     * two transactions locking several conversations each never wait for one another in a circle.
     */
    public Map<UUID, Conversation> lockInTenant(Collection<UUID> ids) {
        List<Conversation> locked = getEntityManager()
                .createNativeQuery(
                        "select * from conversation where tenant_id = ?1 and id in (?2) order by id for no key update",
                        Conversation.class)
                .setParameter(1, TenantScope.require())
                .setParameter(2, ids)
                .getResultList();
        return locked.stream().collect(Collectors.toMap(conversation -> conversation.id, conversation -> conversation));
    }

    public List<Conversation> latest(ConversationState state, int limit) {
        Sort newestFirst = Sort.descending("updatedAt");
        return (state == null ? findAll(newestFirst) : find("state", newestFirst, state))
                .page(0, limit)
                .list();
    }

    /**
     * Up to {@code size} conversations started in [from, to) in one of the states. Ordered by id,
     * which is random: a uniform sample, and the same one for the same request.
     */
    public List<Conversation> sample(
            Instant from, Instant to, java.util.Collection<ConversationState> states, int size) {
        return find(
                        "createdAt >= ?1 and createdAt < ?2 and state in ?3 and messageCount > 0",
                        Sort.ascending("id"),
                        from,
                        to,
                        states)
                .page(0, size)
                .list();
    }

    /** Conversations matching the filter, newest first (by number, which follows creation). */
    public List<Conversation> search(ConversationFilter filter, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters parameters = new Parameters();
        if (filter.state() != null) {
            where.append(" and c.state = :state");
            parameters.and("state", filter.state());
        }
        if (filter.from() != null) {
            where.append(" and c.createdAt >= :from");
            parameters.and("from", UtcDays.startOf(filter.from()));
        }
        if (filter.to() != null) {
            where.append(" and c.createdAt < :to");
            parameters.and("to", UtcDays.endOf(filter.to()));
        }
        if (filter.reason() != null && !filter.reason().isBlank()) {
            where.append(" and c.escalationReason = :reason");
            parameters.and("reason", filter.reason().strip());
        }
        if (filter.model() != null && !filter.model().isBlank()) {
            where.append(" and exists (select 1 from Message m where m.conversationId = c.id and (m.modelName = :model"
                    + " or concat(m.modelEndpoint, '/', m.modelName) = :model))");
            parameters.and("model", filter.model().strip());
        }
        if (filter.text() != null && !filter.text().isBlank()) {
            where.append(
                    " and exists (select 1 from Message m where m.conversationId = c.id and lower(m.text) like :text)");
            parameters.and(
                    "text",
                    "%"
                            + filter.text()
                                    .strip()
                                    .toLowerCase(Locale.ROOT)
                                    .replace("\\", "\\\\")
                                    .replace("%", "\\%")
                                    .replace("_", "\\_")
                            + "%");
        }
        if (filter.before() != null) {
            where.append(" and c.number < :before");
            parameters.and("before", filter.before());
        }
        TypedQuery<Conversation> query = getEntityManager()
                .createQuery(
                        "select c from Conversation c where " + where + " order by c.number desc", Conversation.class)
                .setMaxResults(limit);
        parameters.map().forEach(query::setParameter);
        return query.getResultList();
    }

    /** Conversations waiting for a person, the longest-waiting first. */
    public List<Conversation> waiting(int limit) {
        return find("state", Sort.ascending("escalatedAt", "id"), ConversationState.PENDING_HUMAN)
                .page(0, limit)
                .list();
    }

    /** What became of the conversations started in a period. */
    public Outcomes outcomes(Instant from, Instant to) {
        Object[] counts = getEntityManager()
                .createQuery("""
                select count(c), sum(case when c.escalationReason is not null then 1 else 0 end),
                       sum(case when c.escalationReason is null and exists (select 1 from Message m where m.conversationId = c.id
                           and m.role = :bot) then 1 else 0 end)
                from Conversation c where c.createdAt >= :from and c.createdAt < :to""", Object[].class)
                .setParameter("from", from)
                .setParameter("to", to)
                .setParameter("bot", MessageRole.BOT)
                .getSingleResult();
        return new Outcomes(count(counts[0]), count(counts[1]), count(counts[2]));
    }

    /** A sum over no rows is null. */
    private static long count(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    public Optional<Conversation> findByTokenHash(String tokenHash) {
        return find("tokenHash", tokenHash).firstResultOptional();
    }
}
