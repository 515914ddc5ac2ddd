package io.switchboard.insight;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Conversation ratings, written and read in the caller's transaction; every statement names the tenant. */
@ApplicationScoped
class RatingRepository {

    /** A stored rating. */
    record Stored(int score, String comment, Instant createdAt) {}

    /** How many ratings of a UTC day, and their average. */
    record DayScore(long responses, double average) {}

    private final EntityManager entities;

    RatingRepository(EntityManager entities) {
        this.entities = entities;
    }

    void insert(UUID tenantId, UUID conversationId, int score, String comment, Instant at) {
        entities.createNativeQuery("""
                        insert into conversation_rating (tenant_id, id, conversation_id, score, comment, created_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6)""")
                .setParameter(1, tenantId)
                .setParameter(2, UUID.randomUUID())
                .setParameter(3, conversationId)
                .setParameter(4, (short) score)
                .setParameter(5, comment)
                .setParameter(6, at)
                .executeUpdate();
    }

    Optional<Stored> of(UUID tenantId, UUID conversationId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("""
                        select score, comment, created_at from conversation_rating
                        where tenant_id = ?1 and conversation_id = ?2""")
                .setParameter(1, tenantId)
                .setParameter(2, conversationId)
                .getResultList();
        return rows.stream()
                .findFirst()
                .map(row -> new Stored(((Number) row[0]).intValue(), (String) row[1], (Instant) row[2]));
    }

    /** Keeps the scores (anonymous figures) but drops what the customer wrote and which conversation it was. */
    int erase(UUID tenantId, Collection<UUID> conversationIds) {
        if (conversationIds.isEmpty()) {
            return 0;
        }
        return entities.createNativeQuery("""
                        update conversation_rating set comment = null, conversation_id = null
                        where tenant_id = ?1 and conversation_id in (?2)""")
                .setParameter(1, tenantId)
                .setParameter(2, conversationIds)
                .executeUpdate();
    }

    /** The number of ratings given in [start, end) and their average (null without any). */
    Object[] totals(UUID tenantId, Instant start, Instant end) {
        return (Object[]) entities.createNativeQuery("""
                        select count(*), avg(score) from conversation_rating
                        where tenant_id = ?1 and created_at >= ?2 and created_at < ?3""")
                .setParameter(1, tenantId)
                .setParameter(2, start)
                .setParameter(3, end)
                .getSingleResult();
    }

    /** Ratings per UTC day of [start, end); a day without any is missing. */
    Map<LocalDate, DayScore> daily(UUID tenantId, Instant start, Instant end) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("""
                        select cast(created_at at time zone 'UTC' as date), count(*), avg(score) from conversation_rating
                        where tenant_id = ?1 and created_at >= ?2 and created_at < ?3 group by 1""")
                .setParameter(1, tenantId)
                .setParameter(2, start)
                .setParameter(3, end)
                .getResultList();
        Map<LocalDate, DayScore> days = new HashMap<>();
        rows.forEach(row -> days.put(
                (LocalDate) row[0], new DayScore(((Number) row[1]).longValue(), ((Number) row[2]).doubleValue())));
        return days;
    }
}
