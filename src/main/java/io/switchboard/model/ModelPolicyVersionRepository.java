package io.switchboard.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ModelPolicyVersionRepository implements PanacheRepositoryBase<ModelPolicyVersion, ModelPolicyVersion.Key> {

    public Optional<ModelPolicyVersion> find(UUID tenantId, int version) {
        return findByIdOptional(new ModelPolicyVersion.Key(tenantId, version));
    }

    public List<ModelPolicyVersion> history(UUID tenantId) {
        return list("key.tenantId", Sort.descending("key.version"), tenantId);
    }

    /** The newest version that tenants-config set, to tell a changed file from a change made through the API. */
    public Optional<ModelPolicyVersion> latestFromConfig(UUID tenantId) {
        return find(
                        "key.tenantId = ?1 and changedBy = ?2",
                        Sort.descending("key.version"),
                        tenantId,
                        ModelPolicies.CONFIG_ACTOR)
                .firstResultOptional();
    }
}
