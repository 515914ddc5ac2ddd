package io.switchboard.insight;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Topics and gaps of the tenant in scope as admins read them: counts and outcomes of the conversations of a period. */
@ApplicationScoped
class InsightReportRepository {

    /** A group's conversations started in the period and what became of them. */
    record GroupCount(
            UUID id,
            String label,
            UUID articleId,
            long conversations,
            long contacts,
            long resolved,
            long escalated,
            long unhelpful,
            List<UUID> conversationIds,
            Double csat,
            Map<String, Long> reasons) {}

    static final int LISTED_CONVERSATIONS = 100;

    private static final String OUTCOMES = """
            select g.id, g.label, g.article_id, count(*), count(distinct c.contact_id),
                count(*) filter (where c.escalation_reason is null and exists (select 1 from message b
                    where b.tenant_id = c.tenant_id and b.conversation_id = c.id and b.role = 'bot')),
                count(*) filter (where c.escalation_reason is not null),
                count(*) filter (where exists (select 1 from message b
                    where b.tenant_id = c.tenant_id and b.conversation_id = c.id and b.feedback = 'unhelpful')),
                array_to_string((array_agg(c.id order by c.created_at desc))[1:%d], ','),
                avg(r.score),
                count(*) filter (where i.reasons like '%%low_confidence%%'),
                count(*) filter (where i.reasons like '%%handed_off%%'),
                count(*) filter (where i.reasons like '%%unhelpful%%'),
                count(*) filter (where i.reasons like '%%asked_again%%')
            from conversation_insight i
            join insight_group g on g.tenant_id = i.tenant_id and g.id = i.%s
            join conversation c on c.tenant_id = i.tenant_id and c.id = i.conversation_id
            left join conversation_rating r on r.tenant_id = c.tenant_id and r.conversation_id = c.id
            where c.created_at >= ?1 and c.created_at < ?2
            group by g.id, g.label, g.article_id
            order by count(distinct c.contact_id) desc, count(*) desc, g.id limit ?3""";

    private static final List<String> REASONS = List.of("low_confidence", "handed_off", "unhelpful", "asked_again");

    private final EntityManager entities;

    InsightReportRepository(EntityManager entities) {
        this.entities = entities;
    }

    /** Topics ({@code topic_id}) or gaps ({@code gap_id}) with their conversations of the period, the most customers first. */
    List<GroupCount> groups(String column, Instant from, Instant to, int limit) {
        List<Object[]> rows = entities.createNativeQuery(
                        OUTCOMES.formatted(LISTED_CONVERSATIONS, column), Object[].class)
                .setParameter(1, Timestamp.from(from))
                .setParameter(2, Timestamp.from(to))
                .setParameter(3, limit)
                .getResultList();
        return rows.stream()
                .map(row -> {
                    Map<String, Long> reasons = new HashMap<>();
                    for (int i = 0; i < REASONS.size(); i++) {
                        long count = ((Number) row[10 + i]).longValue();
                        if (count > 0) {
                            reasons.put(REASONS.get(i), count);
                        }
                    }
                    return new GroupCount(
                            (UUID) row[0],
                            (String) row[1],
                            (UUID) row[2],
                            ((Number) row[3]).longValue(),
                            ((Number) row[4]).longValue(),
                            ((Number) row[5]).longValue(),
                            ((Number) row[6]).longValue(),
                            ((Number) row[7]).longValue(),
                            Arrays.stream(((String) row[8]).split(","))
                                    .map(UUID::fromString)
                                    .toList(),
                            row[9] == null ? null : ((Number) row[9]).doubleValue(),
                            reasons);
                })
                .toList();
    }

    /** How many conversations of the period each topic had. */
    Map<UUID, Long> topicSizes(Instant from, Instant to) {
        List<Object[]> rows = entities.createNativeQuery("""
                        select i.topic_id, count(*) from conversation_insight i
                        join conversation c on c.tenant_id = i.tenant_id and c.id = i.conversation_id
                        where i.topic_id is not null and c.created_at >= ?1 and c.created_at < ?2
                        group by i.topic_id""", Object[].class)
                .setParameter(1, Timestamp.from(from))
                .setParameter(2, Timestamp.from(to))
                .getResultList();
        Map<UUID, Long> sizes = new HashMap<>();
        rows.forEach(row -> sizes.put((UUID) row[0], ((Number) row[1]).longValue()));
        return sizes;
    }

    /**
     * Analysed conversations the groups do not show as they are yet: analysed after the last
     * regrouping in a way that changes groups, or changed (and quiet since {@code changedBefore})
     * after they were analysed, so due to be analysed again.
     */
    long waiting(Instant changedBefore) {
        return ((Number) entities.createNativeQuery("""
                                select count(*) from conversation_insight i
                                join conversation c on c.tenant_id = i.tenant_id and c.id = i.conversation_id
                                where (c.updated_at > i.analysed_at and c.updated_at <= ?1)
                                   or ((i.reasons <> '' or i.article_id is null)
                                       and i.analysed_at > coalesce((select grouped_at from insight_grouping), '-infinity'))""")
                        .setParameter(1, Timestamp.from(changedBefore))
                        .getSingleResult())
                .longValue();
    }

    /** Whether every group has its label (an article topic is named once it is grouped). */
    boolean labelled() {
        return entities.createNativeQuery("select 1 from insight_group where label = ''")
                .getResultList()
                .isEmpty();
    }

    /** Conversations started in the period, and how many of them were analysed. */
    long[] analysed(Instant from, Instant to) {
        Object[] row = (Object[]) entities.createNativeQuery("""
                        select count(*), count(i.conversation_id), count(i.topic_id) from conversation c
                        left join conversation_insight i on i.tenant_id = c.tenant_id and i.conversation_id = c.id
                        where c.created_at >= ?1 and c.created_at < ?2""", Object[].class)
                .setParameter(1, Timestamp.from(from))
                .setParameter(2, Timestamp.from(to))
                .getSingleResult();
        return new long[] {((Number) row[0]).longValue(), ((Number) row[1]).longValue(), ((Number) row[2]).longValue()};
    }

    /** The questions of a gap's latest conversations of the period, with their embeddings. */
    List<Object[]> questionsOfGap(UUID gapId, Instant from, Instant to, int limit) {
        return entities.createNativeQuery("""
                        select m.text, i.vector from conversation_insight i
                        join conversation c on c.tenant_id = i.tenant_id and c.id = i.conversation_id
                        join message m on m.tenant_id = i.tenant_id and m.id = i.question_id
                        where i.gap_id = ?1 and c.created_at >= ?2 and c.created_at < ?3
                        order by c.created_at desc limit ?4""", Object[].class)
                .setParameter(1, gapId)
                .setParameter(2, Timestamp.from(from))
                .setParameter(3, Timestamp.from(to))
                .setParameter(4, limit)
                .getResultList();
    }

    /** What agents answered in a gap's conversations, the latest first. */
    List<String> agentReplies(UUID gapId, int limit) {
        return entities.createNativeQuery("""
                        select m.text from message m
                        join conversation_insight i on i.tenant_id = m.tenant_id and i.conversation_id = m.conversation_id
                        where i.gap_id = ?1 and m.role = 'agent'
                        order by m.created_at desc limit ?2""", String.class)
                .setParameter(1, gapId)
                .setParameter(2, limit)
                .getResultList();
    }

    boolean gapExists(UUID gapId) {
        return !entities.createNativeQuery("select 1 from insight_group where kind = 'gap' and id = ?1", Integer.class)
                .setParameter(1, gapId)
                .getResultList()
                .isEmpty();
    }
}
