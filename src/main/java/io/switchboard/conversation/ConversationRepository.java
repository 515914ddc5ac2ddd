package io.switchboard.conversation;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Queries go through HQL so Hibernate's tenant filter applies (a load by id would skip it); the
 * native ones name the tenant themselves (on top of row-level security), which also lets them use
 * the tenant-leading indexes.
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

    /** Serialises, until the transaction ends, the starts of one contact's conversations on one channel. */
    public void lockChannelContact(UUID channelId, String externalContactId) {
        getEntityManager()
                .createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, channelId + "/" + externalContactId)
                .getSingleResult();
    }

    /** The contact's conversation on the channel that is not closed yet, if any (the latest). */
    public Optional<Conversation> openOnChannel(UUID channelId, UUID contactId) {
        return getEntityManager()
                .createQuery(
                        "select c from Conversation c where c.channelId = :channel and c.contactId = :contact"
                                + " and c.state <> :closed order by c.number desc",
                        Conversation.class)
                .setParameter("channel", channelId)
                .setParameter("contact", contactId)
                .setParameter("closed", ConversationState.CLOSED)
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
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
        if (filter.grade() != null) {
            where.append(" and c.grade = :grade");
            parameters.and("grade", filter.grade());
        }
        if (filter.channel() != null && !filter.channel().isBlank()) {
            Optional<UUID> channelId = ChannelRef.idIn(filter.channel().strip());
            where.append(channelId.isPresent() ? " and c.channelId = :channel" : " and c.channelType = :channel");
            parameters.and(
                    "channel",
                    channelId.isPresent() ? channelId.get() : filter.channel().strip());
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

    /** Conversations that went to a person in a period, by reason, the most frequent first. */
    public List<Analytics.Reason> escalationReasons(UUID tenant, Instant start, Instant end) {
        return rows("""
                select c.escalation_reason, count(*) from conversation c
                where c.tenant_id = :tenant and c.created_at >= :start and c.created_at < :end and c.escalation_reason is not null
                group by c.escalation_reason order by count(*) desc, c.escalation_reason""", tenant, start, end).stream()
                .map(row -> new Analytics.Reason((String) row[0], count(row[1])))
                .toList();
    }

    /** How long the conversations handed off in a period waited for an agent's first message. */
    public Analytics.Seconds handoffWait(UUID tenant, Instant start, Instant end) {
        return Analytics.Seconds.of(
                (Object[]) analytics("""
                select percentile_cont(0.5) within group (order by w), percentile_cont(0.9) within group (order by w), count(w)
                from (select extract(epoch from (select min(a.created_at) from message a where a.tenant_id = c.tenant_id
                             and a.conversation_id = c.id and a.role = 'agent' and a.created_at >= c.escalated_at) - c.escalated_at) as w
                      from conversation c
                      where c.tenant_id = :tenant and c.escalated_at >= :start and c.escalated_at < :end) waits
                where w is not null""", tenant, start, end).getSingleResult());
    }

    /** The conversations handed off in a period that still wait for a person. */
    public long stillWaiting(UUID tenant, Instant start, Instant end) {
        return count(analytics("""
                select count(*) from conversation c where c.tenant_id = :tenant and c.state = 'PENDING_HUMAN'
                and c.escalated_at >= :start and c.escalated_at < :end""", tenant, start, end).getSingleResult());
    }

    /** Conversations started on one UTC day, and of them escalated. */
    public record DayVolume(long conversations, long escalated) {

        public static final DayVolume NONE = new DayVolume(0, 0);
    }

    /** The volume of each UTC day of a period; a day without conversations is missing. */
    public Map<LocalDate, DayVolume> dailyVolumes(UUID tenant, Instant start, Instant end) {
        Map<LocalDate, DayVolume> volumes = new HashMap<>();
        rows("""
                select cast(c.created_at at time zone 'UTC' as date), count(*), count(c.escalation_reason) from conversation c
                where c.tenant_id = :tenant and c.created_at >= :start and c.created_at < :end group by 1""", tenant, start, end)
                .forEach(row -> volumes.put((LocalDate) row[0], new DayVolume(count(row[1]), count(row[2]))));
        return volumes;
    }

    /** The conversations started in a period, by quality grade; ungraded ones are not counted. */
    public Map<String, Long> grades(UUID tenant, Instant start, Instant end) {
        Map<String, Long> grades = new HashMap<>();
        rows("""
                select c.grade, count(*) from conversation c
                where c.tenant_id = :tenant and c.created_at >= :start and c.created_at < :end and c.grade is not null
                group by c.grade""", tenant, start, end).forEach(row -> grades.put((String) row[0], count(row[1])));
        return grades;
    }

    /** The conversations whose customer was asked to rate them in a period. */
    public long surveysOffered(UUID tenant, Instant start, Instant end) {
        return count(analytics("""
                select count(*) from conversation c
                where c.tenant_id = :tenant and c.survey_offered_at >= :start and c.survey_offered_at < :end""", tenant, start, end).getSingleResult());
    }

    /** The conversations started since then, by arm (true: the canary's), counted as {@link ArmOutcomes} explains. */
    public Map<Boolean, ArmOutcomes.Arm> arms(UUID tenant, Instant since, String canaryEndpoint, String canaryModel) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager()
                .createNativeQuery("""
                select c.canary,
                       count(distinct c.id),
                       count(distinct c.id) filter (where c.escalated_at is not null),
                       count(m.id) filter (where m.role = 'bot'),
                       count(m.id) filter (where m.role = 'bot' and m.feedback = 'unhelpful'),
                       count(m.id) filter (where m.role = 'bot' and c.canary
                                             and (m.model_endpoint <> :endpoint or m.model_name <> :model))
                         + count(distinct c.id) filter (where c.escalation_reason in ('model_failure', 'unparsable_answer')),
                       percentile_cont(0.95) within group (order by m.latency_ms) filter (where m.role = 'bot'),
                       avg(m.cost_usd) filter (where m.role = 'bot')
                from conversation c
                left join message m on m.tenant_id = c.tenant_id and m.conversation_id = c.id
                where c.tenant_id = :tenant and c.created_at >= :since
                group by c.canary""")
                .setParameter("tenant", tenant)
                .setParameter("since", since)
                .setParameter("endpoint", canaryEndpoint)
                .setParameter("model", canaryModel)
                .getResultList();
        Map<Boolean, ArmOutcomes.Arm> arms = new HashMap<>();
        for (Object[] row : rows) {
            arms.put(
                    Boolean.TRUE.equals(row[0]),
                    new ArmOutcomes.Arm(
                            count(row[1]),
                            count(row[2]),
                            count(row[3]),
                            count(row[4]),
                            count(row[5]),
                            row[6] == null ? null : ((Number) row[6]).doubleValue(),
                            row[7] == null ? null : new BigDecimal(row[7].toString())));
        }
        return arms;
    }

    private Query analytics(String sql, UUID tenant, Instant start, Instant end) {
        return analytics(getEntityManager(), sql, tenant, start, end);
    }

    /**
     * A native analytics query over a period, for this repository and {@link MessageRepository}: it
     * names the tenant (on top of row-level security) to use the tenant-leading indexes.
     */
    static Query analytics(EntityManager entities, String sql, UUID tenant, Instant start, Instant end) {
        return entities.createNativeQuery(sql)
                .setParameter("tenant", tenant)
                .setParameter("start", start)
                .setParameter("end", end);
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, UUID tenant, Instant start, Instant end) {
        return analytics(sql, tenant, start, end).getResultList();
    }

    /** A sum over no rows is null. */
    private static long count(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    public Optional<Conversation> findByTokenHash(String tokenHash) {
        return find("tokenHash", tokenHash).firstResultOptional();
    }
}
