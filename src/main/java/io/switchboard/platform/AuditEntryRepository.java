package io.switchboard.platform;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** The audit log's entries; not tenant-filtered, so reads name their tenant. */
@ApplicationScoped
class AuditEntryRepository implements PanacheRepositoryBase<AuditEntry, Long> {

    /**
     * Up to {@code limit} entries before the id {@code beforeId} (null: the newest), newest first,
     * of the tenant (null: every tenant) and the action (null: every action).
     */
    List<AuditEntry> newestFirst(UUID tenantId, Long beforeId, String action, int limit) {
        return getEntityManager()
                .createQuery("""
                from AuditEntry e
                where (cast(:tenant as uuid) is null or e.tenantId = :tenant) and (cast(:before as long) is null or e.id < :before)
                  and (cast(:action as string) is null or e.action = :action)
                order by e.id desc""", AuditEntry.class)
                .setParameter("tenant", tenantId)
                .setParameter("before", beforeId)
                .setParameter("action", action)
                .setMaxResults(limit)
                .getResultList();
    }
}
