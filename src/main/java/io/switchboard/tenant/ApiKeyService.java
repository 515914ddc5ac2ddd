package io.switchboard.tenant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.events.DomainEvent;
import io.switchboard.events.EventType;
import io.switchboard.events.Outbox;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ScopedConnections;
import io.switchboard.platform.Secrets;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * API keys: created for a tenant (shown once), listed without the secret, revoked, and checked on
 * each call. A key checked once is remembered for {@link #REMEMBERED} so calls cost no database
 * round trip; revoking forgets it at once here and, through the api-key-revoked event, on every
 * other replica. When a key was last used is written in batches, off the request path.
 */
@Singleton
public class ApiKeyService {

    public static final String PREFIX = "sbk_";
    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    static final Duration REMEMBERED = Duration.ofSeconds(60);
    private static final long LAST_USED_FLUSH_SECONDS = 10;

    /** The data of an api-key-revoked event. */
    public record Revoked(UUID keyId) {}

    /** A key as listed: never the secret itself. */
    public record ApiKeyView(
            UUID id,
            String name,
            String prefix,
            List<Role> roles,
            Instant createdAt,
            Instant lastUsedAt,
            boolean bootstrap) {

        static ApiKeyView of(ApiKey key) {
            return new ApiKeyView(
                    key.id,
                    key.name,
                    key.keyPrefix,
                    key.roles.stream().map(Role::of).toList(),
                    key.createdAt,
                    key.lastUsedAt,
                    key.bootstrap);
        }
    }

    /** A new key: {@code key} is the only time the secret is ever shown. */
    public record Created(UUID id, String name, String prefix, List<Role> roles, Instant createdAt, String key) {}

    private final ApiKeyRepository keys;
    private final Optional<String> bootstrapKey;
    private final Outbox outbox;
    private final AuditLog audit;
    private final ScopedConnections connections;
    private final ObjectMapper json;
    private final StartupLock startupLock;
    private final RememberedCallers remembered = new RememberedCallers(REMEMBERED);
    private final Map<UUID, Instant> lastUsed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService lastUsedWriter = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("api-key-last-used").daemon().factory());

    public ApiKeyService(
            ApiKeyRepository keys,
            TenantConfig config,
            Outbox outbox,
            AuditLog audit,
            ScopedConnections connections,
            ObjectMapper json,
            StartupLock startupLock) {
        this.startupLock = startupLock;
        this.audit = audit;
        this.keys = keys;
        this.bootstrapKey = config.bootstrap().apiKey();
        this.outbox = outbox;
        this.connections = connections;
        this.json = json;
    }

    @Transactional
    public Created create(UUID tenantId, String name, Set<Role> roles) {
        String secret = Secrets.newSecret(PREFIX);
        ApiKey key = store(tenantId, name, roles, secret, false);
        audit.record(
                tenantId, AuditLog.Action.API_KEY_CREATED, key.id.toString(), Map.of("name", name, "roles", key.roles));
        return new Created(key.id, key.name, key.keyPrefix, List.copyOf(roles), key.createdAt, secret);
    }

    @Transactional
    public List<ApiKeyView> list(UUID tenantId) {
        return keys.ofTenant(tenantId).stream().map(ApiKeyView::of).toList();
    }

    @Transactional
    public void revoke(UUID tenantId, UUID id) {
        revoke(keys.ofTenant(tenantId, id).orElseThrow(() -> ProblemException.notFound("API key")));
    }

    /** The platform's own keys (platform-admin), the bootstrap key among them. */
    @Transactional
    public List<ApiKeyView> listPlatformKeys() {
        return keys.ofPlatform().stream().map(ApiKeyView::of).toList();
    }

    @Transactional
    public void revokePlatformKey(UUID id) {
        revoke(keys.ofPlatform(id).orElseThrow(() -> ProblemException.notFound("API key")));
    }

    private void revoke(ApiKey key) {
        key.revokedAt = Instant.now();
        remembered.forget(key.id);
        outbox.record(EventType.API_KEY_REVOKED, key.tenantId, String.valueOf(key.tenantId), new Revoked(key.id));
        audit.record(key.tenantId, AuditLog.Action.API_KEY_REVOKED, key.id.toString(), Map.of("name", key.name));
    }

    /** The caller of a key this replica checked less than {@link #REMEMBERED} ago; empty when it must be checked. */
    public Optional<Caller> recentlyAuthenticated(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return remembered.recall(Secrets.sha256(secret)).map(checked -> {
            lastUsed.put(checked.subject(), Instant.now());
            return checked.caller();
        });
    }

    /** Checks the key in the database. Runs before the request context exists; Hibernate's tenant resolution needs one. */
    @ActivateRequestContext
    @Transactional
    public Optional<Caller> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        long started = System.nanoTime();
        String hash = Secrets.sha256(secret);
        return keys.findActiveByHash(hash).map(key -> {
            Set<Role> roles =
                    key.roles.stream().map(Role::of).collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
            Caller caller = new Caller("api-key:" + key.id, key.tenantId, roles);
            remembered.remember(hash, key.id, caller, started);
            lastUsed.put(key.id, Instant.now());
            return caller;
        });
    }

    /** Another replica (or this one) revoked a key: stop trusting it here. */
    void onRevoked(@Observes DomainEvent event) throws JsonProcessingException {
        if (EventType.API_KEY_REVOKED.topic().equals(event.type())) {
            remembered.forget(json.treeToValue(event.data(), Revoked.class).keyId());
        }
    }

    void startLastUsedWriter(@Observes StartupEvent started) {
        lastUsedWriter.scheduleWithFixedDelay(
                this::writeLastUsed, LAST_USED_FLUSH_SECONDS, LAST_USED_FLUSH_SECONDS, TimeUnit.SECONDS);
    }

    void stopLastUsedWriter(@Observes ShutdownEvent stopping) {
        lastUsedWriter.shutdown();
        writeLastUsed();
    }

    private void writeLastUsed() {
        Map<UUID, Instant> batch = new HashMap<>();
        for (UUID keyId : List.copyOf(lastUsed.keySet())) {
            Instant at = lastUsed.remove(keyId);
            if (at != null) {
                batch.put(keyId, at);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try (Connection connection = connections.forPlatform("api key last use");
                PreparedStatement update = connection.prepareStatement(
                        "update api_key set last_used_at = greatest(coalesce(last_used_at, ?), ?) where id = ?")) {
            for (Map.Entry<UUID, Instant> entry : batch.entrySet()) {
                Timestamp at = Timestamp.from(entry.getValue());
                update.setTimestamp(1, at);
                update.setTimestamp(2, at);
                update.setObject(3, entry.getKey());
                update.addBatch();
            }
            update.executeBatch();
        } catch (SQLException e) {
            batch.forEach((keyId, at) -> lastUsed.merge(keyId, at, (a, b) -> a.isAfter(b) ? a : b));
            LOG.warnf("Writing when API keys were last used failed; kept for the next attempt: %s", e.getMessage());
        }
    }

    /**
     * Like Keycloak's bootstrap admin: a platform key with the configured value exists after
     * startup, and a bootstrap key of an earlier value (or of a setting since removed) is revoked.
     */
    void onStart(@Observes StartupEvent event) {
        Optional<String> configured = bootstrapKey.filter(secret -> !secret.isBlank());
        startupLock.runAlone(() -> TenantScope.asPlatform(
                "bootstrap API key",
                () -> QuarkusTransaction.requiringNew().run(() -> ensureBootstrapKey(configured))));
    }

    private void ensureBootstrapKey(Optional<String> configured) {
        configured
                .filter(secret -> !secret.startsWith(PREFIX) || secret.length() < PREFIX.length() + 20)
                .ifPresent(secret -> {
                    throw new IllegalArgumentException("SWITCHBOARD_BOOTSTRAP_API_KEY must start with '" + PREFIX
                            + "' and carry at least 20 more characters");
                });
        Optional<String> hash = configured.map(Secrets::sha256);
        for (ApiKey retired : keys.activeBootstrapKeys()) {
            if (hash.isEmpty() || !hash.get().equals(retired.keyHash)) {
                revoke(retired);
                LOG.infof(
                        "Revoked the bootstrap platform API key %s...: SWITCHBOARD_BOOTSTRAP_API_KEY no longer names it",
                        retired.keyPrefix);
            }
        }
        if (configured.isPresent() && keys.findActiveByHash(hash.get()).isEmpty()) {
            store(null, "bootstrap", EnumSet.of(Role.PLATFORM_ADMIN), configured.get(), true);
            LOG.info("Bootstrap platform API key created");
        }
    }

    private ApiKey store(UUID tenantId, String name, Set<Role> roles, String secret, boolean bootstrap) {
        ApiKey key = new ApiKey();
        key.id = UUID.randomUUID();
        key.tenantId = tenantId;
        key.name = name;
        key.keyHash = Secrets.sha256(secret);
        key.keyPrefix = secret.substring(0, PREFIX.length() + 6);
        key.roles = new ArrayList<>(roles.stream().map(Role::id).toList());
        key.createdAt = Instant.now();
        key.bootstrap = bootstrap;
        keys.persist(key);
        return key;
    }
}
