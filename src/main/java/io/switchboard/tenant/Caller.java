package io.switchboard.tenant;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling the admin API: a principal with roles, bound to one tenant or to the platform;
 * for a built-in account also how many times its password has changed (null for keys and tokens).
 */
public record Caller(String principal, UUID tenantId, Set<Role> roles, Integer credentialsVersion) {

    public Caller(String principal, UUID tenantId, Set<Role> roles) {
        this(principal, tenantId, roles, null);
    }

    public static final String TENANT_ATTRIBUTE = "switchboard.tenant";

    public boolean isPlatformAdmin() {
        return roles.contains(Role.PLATFORM_ADMIN);
    }

    /** The Quarkus identity every authentication mechanism (API key, account, OIDC) hands on. */
    SecurityIdentity toIdentity() {
        QuarkusSecurityIdentity.Builder identity =
                QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(principal));
        roles.forEach(role -> identity.addRole(role.id()));
        if (tenantId != null) {
            identity.addAttribute(TENANT_ATTRIBUTE, tenantId);
        }
        return identity.build();
    }
}
