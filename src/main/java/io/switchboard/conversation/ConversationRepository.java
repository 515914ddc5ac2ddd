package io.switchboard.conversation;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import io.quarkus.panache.common.Sort;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Queries always go through HQL so Hibernate's tenant filter applies (a load by id would skip it). */
@ApplicationScoped
public class ConversationRepository implements PanacheRepositoryBase<Conversation, UUID> {

    public Optional<Conversation> findInTenant(UUID id) {
        return find("id", id).firstResultOptional();
    }

    /** Locks the row so concurrent turns of one conversation append messages one at a time. */
    public Optional<Conversation> lockInTenant(UUID id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public List<Conversation> latest(ConversationState state, int limit) {
        Sort newestFirst = Sort.descending("updatedAt");
        return (state == null ? findAll(newestFirst) : find("state", newestFirst, state)).page(0, limit).list();
    }

    /** Conversations waiting for a person, the longest-waiting first. */
    public List<Conversation> waiting(int limit) {
        return find("state", Sort.ascending("escalatedAt", "id"), ConversationState.PENDING_HUMAN).page(0, limit).list();
    }

    /** Conversations started in a period, and how many of them went to a person. */
    public Object[] counts(Instant from, Instant to) {
        return getEntityManager().createQuery("""
                select count(c), sum(case when c.escalationReason is not null then 1 else 0 end)
                from Conversation c where c.createdAt >= :from and c.createdAt < :to""", Object[].class)
                .setParameter("from", from).setParameter("to", to).getSingleResult();
    }

    public Optional<Conversation> findByTokenHash(String tokenHash) {
        return find("tokenHash", tokenHash).firstResultOptional();
    }
}
