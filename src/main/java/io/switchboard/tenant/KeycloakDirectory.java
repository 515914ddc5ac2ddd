package io.switchboard.tenant;

import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * A tenant's objects in Keycloak (production identity), through the admin client as the
 * switchboard-provisioner service account: the group {@code /tenants/<slug>} that makes its
 * members, and optionally a first tenant admin who must choose a password at first login.
 * Roles are the realm's three roles, shared by all tenants: membership, not role names, tells
 * tenants apart. Does nothing unless provisioning is switched on (the keycloak profile).
 */
@ApplicationScoped
public class KeycloakDirectory {

    static final String TENANTS_GROUP = "tenants";
    private static final Logger LOG = Logger.getLogger(KeycloakDirectory.class);

    /** What one call created, so that a failure afterwards can remove exactly that; the password is shown once. */
    public record Provisioned(String groupId, boolean groupCreated, String userId, String temporaryPassword) {

        static final Provisioned NOTHING = new Provisioned(null, false, null, null);
    }

    private final boolean enabled;
    private final String realmName;
    private final Instance<Keycloak> keycloak;

    public KeycloakDirectory(TenantConfig config, Instance<Keycloak> keycloak) {
        this.enabled = config.keycloak().provisioning();
        this.realmName = config.keycloak().realm();
        this.keycloak = keycloak;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Ensures the tenant's group (and first admin); idempotent for the group. On failure, what this call made is removed. */
    public Provisioned provision(String slug, Optional<FirstAdmin> firstAdmin) {
        if (!enabled) {
            return Provisioned.NOTHING;
        }
        return answered(() -> provisionNow(slug, firstAdmin));
    }

    private Provisioned provisionNow(String slug, Optional<FirstAdmin> firstAdmin) {
        RealmResource realm = realm();
        String parentId = groupId(realm, "/" + TENANTS_GROUP)
                .orElseGet(() -> created(realm.groups().add(group(TENANTS_GROUP))));
        Optional<String> existing = groupId(realm, "/" + TENANTS_GROUP + "/" + slug);
        String groupId =
                existing.orElseGet(() -> created(realm.groups().group(parentId).subGroup(group(slug))));
        Provisioned provisioned = new Provisioned(groupId, existing.isEmpty(), null, null);
        if (firstAdmin.isEmpty()) {
            return provisioned;
        }
        try {
            return createAdmin(realm, provisioned, firstAdmin.get());
        } catch (RuntimeException e) {
            undo(provisioned);
            throw e;
        }
    }

    /** Removes what {@link #provision} created; used when the rest of creating a tenant failed. */
    public void undo(Provisioned provisioned) {
        if (!enabled || provisioned == Provisioned.NOTHING) {
            return;
        }
        answered(() -> {
            removeWhatWasMade(provisioned);
            return null;
        });
    }

    private void removeWhatWasMade(Provisioned provisioned) {
        RealmResource realm = realm();
        if (provisioned.userId() != null) {
            ignoreMissing(() -> realm.users().get(provisioned.userId()).remove());
        }
        if (provisioned.groupCreated()) {
            ignoreMissing(() -> realm.groups().group(provisioned.groupId()).remove());
        }
    }

    /** Removes the tenant's group: its members lose the tenant at their next token. Idempotent. */
    public void deprovision(String slug) {
        if (!enabled) {
            return;
        }
        answered(() -> {
            RealmResource realm = realm();
            groupId(realm, "/" + TENANTS_GROUP + "/" + slug)
                    .ifPresent(
                            id -> ignoreMissing(() -> realm.groups().group(id).remove()));
            return null;
        });
    }

    private Provisioned createAdmin(RealmResource realm, Provisioned provisioned, FirstAdmin admin) {
        String password = Secrets.newSecret("");
        UserRepresentation user = new UserRepresentation();
        user.setUsername(admin.username());
        user.setEmail(admin.email());
        user.setEnabled(true);
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(password);
        // Temporary: Keycloak makes the user set their own password at first login (a required action).
        credential.setTemporary(true);
        user.setCredentials(List.of(credential));
        user.setGroups(List.of("/" + TENANTS_GROUP + "/"
                + realm.groups().group(provisioned.groupId()).toRepresentation().getName()));
        String userId;
        try (Response response = realm.users().create(user)) {
            if (response.getStatus() == Response.Status.CONFLICT.getStatusCode()) {
                throw new ProblemException(
                        ProblemType.CONFLICT,
                        "Keycloak already has a user with the username '" + admin.username() + "' or the email '"
                                + admin.email() + "'");
            }
            userId = CreatedResponseUtil.getCreatedId(response);
        }
        Provisioned withUser = new Provisioned(provisioned.groupId(), provisioned.groupCreated(), userId, password);
        try {
            realm.users()
                    .get(userId)
                    .roles()
                    .realmLevel()
                    .add(List.of(realm.roles().get(Role.TENANT_ADMIN.id()).toRepresentation()));
        } catch (RuntimeException e) {
            ignoreMissing(() -> realm.users().get(userId).remove());
            throw e;
        }
        LOG.infof(
                "Keycloak user %s created as the first admin of tenant group %s",
                admin.username(), provisioned.groupId());
        return withUser;
    }

    private RealmResource realm() {
        return keycloak.get().realm(realmName);
    }

    private static Optional<String> groupId(RealmResource realm, String path) {
        try {
            return Optional.of(realm.getGroupByPath(path).getId());
        } catch (WebApplicationException missing) {
            if (missing.getResponse().getStatus() == Response.Status.NOT_FOUND.getStatusCode()) {
                return Optional.empty();
            }
            throw missing;
        }
    }

    /** Keycloak's own error responses never reach our clients: they become a problem of ours. */
    private static <T> T answered(Supplier<T> call) {
        try {
            return call.get();
        } catch (WebApplicationException refused) {
            LOG.warnf(
                    "Keycloak answered %d to provisioning",
                    refused.getResponse().getStatus());
            throw new ProblemException(
                    ProblemType.IDENTITY_PROVIDER_FAILED,
                    "Keycloak refused the change (HTTP " + refused.getResponse().getStatus() + "); nothing was kept");
        } catch (ProcessingException unreachable) {
            LOG.warnf("Keycloak could not be reached for provisioning: %s", unreachable.getMessage());
            throw new ProblemException(
                    ProblemType.IDENTITY_PROVIDER_FAILED, "Keycloak could not be reached; nothing was kept");
        }
    }

    private static GroupRepresentation group(String name) {
        GroupRepresentation group = new GroupRepresentation();
        group.setName(name);
        return group;
    }

    private static String created(Response response) {
        try (response) {
            return CreatedResponseUtil.getCreatedId(response);
        }
    }

    private static void ignoreMissing(Runnable removal) {
        try {
            removal.run();
        } catch (WebApplicationException alreadyGone) {
            if (alreadyGone.getResponse().getStatus() != Response.Status.NOT_FOUND.getStatusCode()) {
                throw alreadyGone;
            }
        }
    }
}
