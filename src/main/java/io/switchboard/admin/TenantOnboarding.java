package io.switchboard.admin;

import io.switchboard.platform.Secrets;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.AccountService;
import io.switchboard.tenant.FirstAdmin;
import io.switchboard.tenant.KeycloakDirectory;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Creating and deleting tenants through the admin API, together with their identity objects:
 * the Keycloak group (and first admin) in production, a built-in first admin in the embedded
 * default. Either all of it exists afterwards or none: Keycloak cannot join a database
 * transaction, so each step that follows another undoes it when it fails.
 */
@ApplicationScoped
public class TenantOnboarding {

    private static final Logger LOG = Logger.getLogger(TenantOnboarding.class);

    /** The created tenant, and its first admin with a one-time password to change at (or after) first login. */
    public record Onboarded(TenantSettings tenant, Optional<FirstAdminCreated> firstAdmin) {}

    public record FirstAdminCreated(String username, String temporaryPassword) {}

    private final TenantService tenants;
    private final TenantProvisioning provisioning;
    private final KeycloakDirectory directory;
    private final AccountService accounts;

    public TenantOnboarding(
            TenantService tenants,
            TenantProvisioning provisioning,
            KeycloakDirectory directory,
            AccountService accounts) {
        this.tenants = tenants;
        this.provisioning = provisioning;
        this.directory = directory;
        this.accounts = accounts;
    }

    public Onboarded create(TenantDefinition definition, Optional<FirstAdmin> firstAdmin) {
        if (directory.enabled()) {
            KeycloakDirectory.Provisioned provisioned = directory.provision(definition.slug(), firstAdmin);
            try {
                TenantSettings tenant = provisioning.create(definition);
                return new Onboarded(
                        tenant,
                        firstAdmin.map(
                                admin -> new FirstAdminCreated(admin.username(), provisioned.temporaryPassword())));
            } catch (RuntimeException e) {
                directory.undo(provisioned);
                throw e;
            }
        }
        TenantSettings tenant = provisioning.create(definition);
        if (firstAdmin.isEmpty()) {
            return new Onboarded(tenant, Optional.empty());
        }
        String password = Secrets.newSecret("").substring(0, 24);
        try {
            TenantScope.run(
                    tenant.id(),
                    () -> accounts.add(
                            tenant.id(), firstAdmin.get().username(), password, EnumSet.of(Role.TENANT_ADMIN)));
        } catch (RuntimeException e) {
            tenants.delete(tenant.id());
            throw e;
        }
        return new Onboarded(
                tenant, Optional.of(new FirstAdminCreated(firstAdmin.get().username(), password)));
    }

    public void delete(TenantSettings tenant) {
        directory.deprovision(tenant.slug());
        try {
            tenants.delete(tenant.id());
        } catch (RuntimeException e) {
            // The tenant stays, so its members must keep their group.
            directory.provision(tenant.slug(), Optional.empty());
            throw e;
        }
    }

    /**
     * A tenant from tenants-config: its group must exist for its Keycloak members to reach it.
     * Keycloak being down must not keep the platform from starting, so a failure is only logged.
     */
    public void ensureIdentity(String slug) {
        try {
            directory.provision(slug, Optional.empty());
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Could not ensure the Keycloak group of tenant %s (its members cannot log in until it exists): %s",
                    slug, e.getMessage());
        }
    }
}
