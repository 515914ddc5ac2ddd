package io.switchboard.tenant;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class TenantRepository implements PanacheRepositoryBase<Tenant, UUID> {

    public Optional<Tenant> findBySlug(String slug) {
        return find("slug", slug).firstResultOptional();
    }

    /** Allocates the next per-tenant conversation number (#1, #2, ...) atomically. */
    public long nextConversationNumber(UUID tenantId) {
        Object next = getEntityManager()
                .createNativeQuery(
                        "update tenant set conversation_seq = conversation_seq + 1 where id = :id returning conversation_seq")
                .setParameter("id", tenantId)
                .getSingleResult();
        return ((Number) next).longValue();
    }
}
