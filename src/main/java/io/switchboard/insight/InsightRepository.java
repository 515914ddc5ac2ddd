package io.switchboard.insight;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.hibernate.query.NativeQuery;

/**
 * What was learnt of each conversation and the groups conversations fall into, in the caller's
 * transaction. It reads the conversations' change times and the question texts it points at (never
 * copies them), so erasing a conversation or a contact leaves nothing of its words here.
 */
@ApplicationScoped
class InsightRepository {

    /** A conversation changed since it was last analysed. */
    record Due(UUID tenantId, UUID conversationId) {}

    /** An analysed conversation as grouping reads it. */
    record Analysed(
            UUID conversationId,
            float[] vector,
            String question,
            String language,
            UUID articleId,
            String reasons,
            UUID topicId,
            UUID gapId) {}

    private final EntityManager entities;

    InsightRepository(EntityManager entities) {
        this.entities = entities;
    }

    /** Across tenants (platform scope): conversations quiet for {@code settle} whose analysis is missing or older than their last change. */
    List<Due> due(Duration settle, int limit) {
        List<Object[]> rows = entities.createNativeQuery("""
                        select c.tenant_id, c.id from conversation c
                        left join conversation_insight i on i.tenant_id = c.tenant_id and i.conversation_id = c.id
                        where c.updated_at <= ?1 and (i.analysed_at is null or i.analysed_at < c.updated_at)
                          and exists (select 1 from message m
                                      where m.tenant_id = c.tenant_id and m.conversation_id = c.id and m.role = 'customer')
                        order by c.updated_at limit ?2""", Object[].class)
                .setParameter(1, Timestamp.from(Instant.now().minus(settle)))
                .setParameter(2, limit)
                .getResultList();
        return rows.stream().map(row -> new Due((UUID) row[0], (UUID) row[1])).toList();
    }

    void save(
            UUID tenantId,
            UUID conversationId,
            UUID questionId,
            float[] vector,
            UUID articleId,
            double confidence,
            String reasons,
            UUID topicId) {
        entities.createNativeQuery("""
                        insert into conversation_insight (tenant_id, conversation_id, question_id, vector, article_id,
                            confidence, reasons, topic_id, gap_id, analysed_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, null, ?9)
                        on conflict (tenant_id, conversation_id) do update set question_id = excluded.question_id,
                            vector = excluded.vector, article_id = excluded.article_id, confidence = excluded.confidence,
                            reasons = excluded.reasons,
                            topic_id = coalesce(excluded.topic_id, case when excluded.article_id is null
                                and conversation_insight.article_id is null then conversation_insight.topic_id end),
                            gap_id = case when excluded.reasons = '' then null else conversation_insight.gap_id end,
                            analysed_at = excluded.analysed_at""")
                .unwrap(NativeQuery.class)
                .setParameter(1, tenantId)
                .setParameter(2, conversationId)
                .setParameter(3, questionId)
                .setParameter(4, bytes(vector))
                .setParameter(5, articleId, UUID.class)
                .setParameter(6, confidence)
                .setParameter(7, reasons)
                .setParameter(8, topicId, UUID.class)
                .setParameter(9, Timestamp.from(Instant.now()))
                .executeUpdate();
    }

    /** The topic of the tenant's questions answered from an article, and whether it was made just now (it has no label yet). */
    record ArticleTopic(UUID id, boolean made) {}

    /** The topic of the tenant's questions answered from this article, made the first time one is. */
    ArticleTopic articleTopic(UUID tenantId, UUID articleId) {
        int made = entities.createNativeQuery("""
                        insert into insight_group (tenant_id, id, kind, article_id, label, created_at, updated_at)
                        values (?1, ?2, 'article', ?3, '', now(), now())
                        on conflict (tenant_id, kind, article_id) do nothing""")
                .setParameter(1, tenantId)
                .setParameter(2, UUID.randomUUID())
                .setParameter(3, articleId)
                .executeUpdate();
        UUID id = (UUID) entities.createNativeQuery(
                        "select id from insight_group where kind = 'article' and article_id = ?1", UUID.class)
                .setParameter(1, articleId)
                .getSingleResult();
        return new ArticleTopic(id, made == 1);
    }

    /** Records that the tenant's groups were rebuilt from what had been analysed by {@code began}. */
    void grouped(UUID tenantId, Instant began) {
        entities.createNativeQuery("""
                        insert into insight_grouping (tenant_id, grouped_at) values (?1, ?2)
                        on conflict (tenant_id) do update set grouped_at = excluded.grouped_at""")
                .setParameter(1, tenantId)
                .setParameter(2, Timestamp.from(began))
                .executeUpdate();
    }

    /** Whether this transaction may regroup the tenant: one replica at a time, the others skip. */
    boolean lockForGrouping(UUID tenantId) {
        return (Boolean) entities.createNativeQuery(
                        "select pg_try_advisory_xact_lock(hashtext('insight-grouping:' || cast(?1 as text)))",
                        Boolean.class)
                .setParameter(1, tenantId)
                .getSingleResult();
    }

    /** The latest analysed conversations of the window (of the tenant in scope) answered badly, newest first. */
    List<Analysed> answeredBadly(Instant since, int limit) {
        return analysed("where c.created_at >= ?1 and i.reasons <> ''", since, limit);
    }

    /** The latest analysed conversations of the window that no article answers, newest first. */
    List<Analysed> unanswered(Instant since, int limit) {
        return analysed("where c.created_at >= ?1 and i.article_id is null", since, limit);
    }

    /** The latest analysed conversations of the window, for the words a tenant's customers use at large. */
    List<Analysed> latest(Instant since, int limit) {
        return analysed("where c.created_at >= ?1", since, limit);
    }

    /** The latest questions of one topic. */
    List<Analysed> ofTopic(UUID topicId, int limit) {
        return analysed("where i.topic_id = ?1", topicId, limit);
    }

    private List<Analysed> analysed(String where, Object parameter, int limit) {
        List<Object[]> rows = entities.createNativeQuery(
                        """
                        select i.conversation_id, i.vector, m.text, c.language, i.article_id, i.reasons, i.topic_id, i.gap_id
                        from conversation_insight i
                        join conversation c on c.tenant_id = i.tenant_id and c.id = i.conversation_id
                        join message m on m.tenant_id = i.tenant_id and m.id = i.question_id
                        """ + where + " order by c.created_at desc limit ?2", Object[].class)
                .setParameter(1, parameter instanceof Instant instant ? Timestamp.from(instant) : parameter)
                .setParameter(2, limit)
                .getResultList();
        return rows.stream()
                .map(row -> new Analysed(
                        (UUID) row[0],
                        floats((byte[]) row[1]),
                        (String) row[2],
                        (String) row[3],
                        (UUID) row[4],
                        (String) row[5],
                        (UUID) row[6],
                        (UUID) row[7]))
                .toList();
    }

    /** The tenant's groups of one kind ({@code article}, {@code topic} or {@code gap}). */
    List<UUID> groups(String kind) {
        return entities.createNativeQuery("select id from insight_group where kind = ?1", UUID.class)
                .setParameter(1, kind)
                .getResultList();
    }

    void createGroup(UUID tenantId, UUID id, String kind, String label) {
        entities.createNativeQuery("""
                        insert into insight_group (tenant_id, id, kind, article_id, label, created_at, updated_at)
                        values (?1, ?2, ?3, null, ?4, now(), now())""")
                .setParameter(1, tenantId)
                .setParameter(2, id)
                .setParameter(3, kind)
                .setParameter(4, label)
                .executeUpdate();
    }

    void relabel(UUID id, String label) {
        entities.createNativeQuery(
                        "update insight_group set label = ?2, updated_at = now() where id = ?1 and label <> ?2")
                .setParameter(1, id)
                .setParameter(2, label)
                .executeUpdate();
    }

    void deleteGroups(Collection<UUID> ids) {
        if (!ids.isEmpty()) {
            entities.createNativeQuery("""
                            update conversation_insight
                            set topic_id = case when topic_id in (?1) then null else topic_id end,
                                gap_id = case when gap_id in (?1) then null else gap_id end
                            where topic_id in (?1) or gap_id in (?1)""").setParameter(1, ids).executeUpdate();
            entities.createNativeQuery("delete from insight_group where id in (?1)")
                    .setParameter(1, ids)
                    .executeUpdate();
        }
    }

    /** Puts conversations in a topic or gap ({@code kind}; null: in none). */
    void assign(String kind, Collection<UUID> conversationIds, UUID groupId) {
        if (conversationIds.isEmpty()) {
            return;
        }
        entities.createNativeQuery("update conversation_insight set " + ("gap".equals(kind) ? "gap_id" : "topic_id")
                        + " = ?2 where conversation_id in (?1)")
                .unwrap(NativeQuery.class)
                .setParameter(1, conversationIds)
                .setParameter(2, groupId, UUID.class)
                .executeUpdate();
    }

    static byte[] bytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] floats(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
