package io.switchboard.tenant;

import io.quarkus.runtime.StartupEvent;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** API keys: created for a tenant (shown once), listed without the secret, revoked, and checked on each call. */
@ApplicationScoped
public class ApiKeyService {

    public static final String PREFIX = "sbk_";
    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);

    /** A key as listed: never the secret itself. */
    public record ApiKeyView(UUID id, String name, String prefix, List<Role> roles, Instant createdAt, Instant lastUsedAt) {

        static ApiKeyView of(ApiKey key) {
            return new ApiKeyView(key.id, key.name, key.keyPrefix, key.roles.stream().map(Role::of).toList(),
                    key.createdAt, key.lastUsedAt);
        }
    }

    /** A new key: {@code key} is the only time the secret is ever shown. */
    public record Created(UUID id, String name, String prefix, List<Role> roles, Instant createdAt, String key) {
    }

    private final ApiKeyRepository keys;
    private final Optional<String> bootstrapKey;

    public ApiKeyService(ApiKeyRepository keys,
            @ConfigProperty(name = "switchboard.bootstrap.api-key") Optional<String> bootstrapKey) {
        this.keys = keys;
        this.bootstrapKey = bootstrapKey;
    }

    @Transactional
    public Created create(UUID tenantId, String name, Set<Role> roles) {
        String secret = Secrets.newSecret(PREFIX);
        ApiKey key = store(tenantId, name, roles, secret);
        return new Created(key.id, key.name, key.keyPrefix, List.copyOf(roles), key.createdAt, secret);
    }

    @Transactional
    public List<ApiKeyView> list(UUID tenantId) {
        return keys.ofTenant(tenantId).stream().map(ApiKeyView::of).toList();
    }

    @Transactional
    public void revoke(UUID tenantId, UUID id) {
        ApiKey key = keys.ofTenant(tenantId, id).orElseThrow(() -> ProblemException.notFound("API key"));
        key.revokedAt = Instant.now();
    }

    /** Runs during authentication, before the request context exists; Hibernate's tenant resolution needs one. */
    @ActivateRequestContext
    @Transactional
    public Optional<Caller> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return keys.findActiveByHash(Secrets.sha256(secret)).map(key -> {
            key.lastUsedAt = Instant.now();
            Set<Role> roles = key.roles.stream().map(Role::of).collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
            return new Caller("api-key:" + key.id, key.tenantId, roles);
        });
    }

    /** Like Keycloak's bootstrap admin: a platform key with the configured value exists after startup. */
    @Transactional
    void onStart(@Observes StartupEvent event) {
        bootstrapKey.filter(secret -> !secret.isBlank()).ifPresent(secret -> {
            if (!secret.startsWith(PREFIX) || secret.length() < PREFIX.length() + 20) {
                throw new IllegalArgumentException("SWITCHBOARD_BOOTSTRAP_API_KEY must start with '" + PREFIX
                        + "' and carry at least 20 more characters");
            }
            if (keys.findActiveByHash(Secrets.sha256(secret)).isEmpty()) {
                store(null, "bootstrap", EnumSet.of(Role.PLATFORM_ADMIN), secret);
                LOG.info("Bootstrap platform API key created");
            }
        });
    }

    private ApiKey store(UUID tenantId, String name, Set<Role> roles, String secret) {
        ApiKey key = new ApiKey();
        key.id = UUID.randomUUID();
        key.tenantId = tenantId;
        key.name = name;
        key.keyHash = Secrets.sha256(secret);
        key.keyPrefix = secret.substring(0, PREFIX.length() + 6);
        key.roles = new ArrayList<>(roles.stream().map(Role::id).toList());
        key.createdAt = Instant.now();
        keys.persist(key);
        return key;
    }
}
