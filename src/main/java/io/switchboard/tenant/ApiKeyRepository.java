package io.switchboard.tenant;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, UUID> {

    public Optional<ApiKey> findActiveByHash(String keyHash) {
        return find("keyHash = ?1 and revokedAt is null", keyHash).firstResultOptional();
    }

    public List<ApiKey> ofPlatform() {
        return list("tenantId is null and revokedAt is null", Sort.ascending("createdAt"));
    }

    public Optional<ApiKey> ofPlatform(UUID id) {
        return find("tenantId is null and id = ?1 and revokedAt is null", id).firstResultOptional();
    }

    public List<ApiKey> activeBootstrapKeys() {
        return list("bootstrap = true and revokedAt is null");
    }

    public List<ApiKey> ofTenant(UUID tenantId) {
        return list("tenantId = ?1 and revokedAt is null", Sort.ascending("createdAt"), tenantId);
    }

    public Optional<ApiKey> ofTenant(UUID tenantId, UUID id) {
        return find("tenantId = ?1 and id = ?2 and revokedAt is null", tenantId, id)
                .firstResultOptional();
    }
}
