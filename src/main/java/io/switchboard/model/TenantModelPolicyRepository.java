package io.switchboard.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class TenantModelPolicyRepository implements PanacheRepositoryBase<TenantModelPolicy, UUID> {

    /** Tenants whose policy runs a canary; platform work, since it reads every tenant's row. */
    public List<UUID> withCanary() {
        return getEntityManager()
                .createNativeQuery(
                        "select tenant_id from model_policy where jsonb_typeof(policy -> 'canary') = 'object'",
                        UUID.class)
                .getResultList();
    }
}
