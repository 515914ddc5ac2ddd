package io.switchboard.platform;

import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.quarkus.hibernate.orm.runtime.tenant.TenantResolver;
import jakarta.enterprise.context.ApplicationScoped;

/** Feeds Hibernate's {@code @TenantId} discriminator from {@link TenantScope}. */
@PersistenceUnitExtension
@ApplicationScoped
public class TenantIdResolver implements TenantResolver {

    @Override
    public String getDefaultTenantId() {
        return TenantScope.NO_TENANT.toString();
    }

    @Override
    public String resolveTenantId() {
        return TenantScope.current().orElse(TenantScope.NO_TENANT).toString();
    }
}
