package io.switchboard.tenant;

import java.util.Set;
import java.util.UUID;

/** Who is calling the admin API: a principal with roles, bound to one tenant or to the platform. */
public record Caller(String principal, UUID tenantId, Set<Role> roles) {

    public static final String TENANT_ATTRIBUTE = "switchboard.tenant";

    public boolean isPlatformAdmin() {
        return roles.contains(Role.PLATFORM_ADMIN);
    }
}
