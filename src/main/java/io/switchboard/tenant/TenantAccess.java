package io.switchboard.tenant;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may act on a tenant through the admin API. The tenant comes from the path, but the caller's
 * own tenant comes from their credentials: a caller of another tenant gets "not found", exactly
 * as for a tenant that does not exist, so the API never confirms another tenant's existence.
 */
@ApplicationScoped
public class TenantAccess {

    private final SecurityIdentity identity;
    private final TenantService tenants;

    public TenantAccess(SecurityIdentity identity, TenantService tenants) {
        this.identity = identity;
        this.tenants = tenants;
    }

    TenantSettings require(String slug, Role... allowed) {
        Caller caller = caller();
        TenantSettings tenant = tenants.findBySlug(slug).orElseThrow(() -> ProblemException.notFound("Tenant"));
        if (caller.isPlatformAdmin()) {
            return tenant;
        }
        if (!tenant.id().equals(caller.tenantId())) {
            throw ProblemException.notFound("Tenant");
        }
        if (Arrays.stream(allowed).noneMatch(caller.roles()::contains)) {
            throw new ProblemException(
                    ProblemType.FORBIDDEN,
                    "This needs one of the roles "
                            + Arrays.stream(allowed).map(Role::id).collect(Collectors.joining(", ")));
        }
        return tenant;
    }

    void requirePlatformAdmin() {
        if (!caller().isPlatformAdmin()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This needs the platform-admin role");
        }
    }

    private Caller caller() {
        if (identity.isAnonymous()) {
            throw new ProblemException(
                    ProblemType.UNAUTHORIZED,
                    "Authenticate with an API key (Authorization: Bearer sbk_...) or HTTP Basic");
        }
        Set<Role> roles = identity.getRoles().stream()
                .flatMap(role ->
                        Arrays.stream(Role.values()).filter(known -> known.id().equals(role)))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
        return new Caller(identity.getPrincipal().getName(), identity.getAttribute(Caller.TENANT_ATTRIBUTE), roles);
    }
}
