package io.switchboard.tenant;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Tenant membership of a Keycloak user: the group {@code /tenants/<slug>} in the token's
 * {@code groups} claim (see keycloak/switchboard-realm.json). Roles are the realm roles. A token
 * naming no tenant, or several, binds to none: such a caller reaches only what its roles allow
 * without a tenant (a platform admin everything, others nothing).
 */
@Singleton
public class OidcMembership implements SecurityIdentityAugmentor {

    static final String TENANT_GROUPS = "/tenants/";
    private static final Logger LOG = Logger.getLogger(OidcMembership.class);

    private final TenantService tenants;

    public OidcMembership(TenantService tenants) {
        this.tenants = tenants;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token) || token.getGroups() == null) {
            return Uni.createFrom().item(identity);
        }
        List<String> slugs = token.getGroups().stream()
                .filter(group -> group.startsWith(TENANT_GROUPS))
                .map(group -> group.substring(TENANT_GROUPS.length()))
                .filter(slug -> !slug.isEmpty() && !slug.contains("/"))
                .toList();
        if (slugs.size() != 1) {
            if (slugs.size() > 1) {
                LOG.warnf(
                        "User %s is in %d tenant groups; a user belongs to one tenant, so none applies",
                        identity.getPrincipal().getName(), slugs.size());
            }
            return Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> tenants.findBySlug(slugs.get(0))
                .<SecurityIdentity>map(tenant -> QuarkusSecurityIdentity.builder(identity)
                        .addAttribute(Caller.TENANT_ATTRIBUTE, tenant.id())
                        .build())
                .orElse(identity));
    }
}
