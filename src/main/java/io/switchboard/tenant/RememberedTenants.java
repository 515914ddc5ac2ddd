package io.switchboard.tenant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.events.DomainEvent;
import io.switchboard.events.EventType;
import io.switchboard.platform.RequestContexts;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tenant settings as every widget and API call reads them: from this replica's memory when read
 * less than {@link #SETTINGS_REMEMBERED} ago, else from the database. A change forgets them here at
 * once and, through its event, on every replica.
 */
@Singleton
class RememberedTenants {

    /** The longest a replica trusts tenant settings it read, should an event about a change never arrive. */
    static final Duration SETTINGS_REMEMBERED = Duration.ofSeconds(30);

    /** Enough for every tenant a replica serves; the least used are forgotten first. */
    private static final int REMEMBERED_TENANTS = 100_000;

    private final Cache<UUID, TenantSettings> settingsById = Caffeine.newBuilder()
            .expireAfterWrite(SETTINGS_REMEMBERED)
            .maximumSize(REMEMBERED_TENANTS)
            .build();
    /** Counts forgettings: settings read while one happened may be stale and are not remembered. */
    private final AtomicLong forgotten = new AtomicLong();

    private final Cache<String, UUID> idBySlug =
            Caffeine.newBuilder().maximumSize(REMEMBERED_TENANTS).build();

    private final TenantRepository tenants;

    RememberedTenants(TenantRepository tenants) {
        this.tenants = tenants;
    }

    Optional<TenantSettings> findBySlug(String slug) {
        UUID id = idBySlug.getIfPresent(slug);
        TenantSettings remembered = id == null ? null : remembered(id);
        if (remembered != null && remembered.slug().equals(slug)) {
            return Optional.of(remembered);
        }
        long before = forgotten.get();
        return read(() -> tenants.findBySlug(slug).map(tenant -> remember(tenant, before)));
    }

    Optional<TenantSettings> findRemembered(UUID id) {
        return Optional.ofNullable(remembered(id));
    }

    Optional<TenantSettings> findById(UUID id) {
        if (id == null) {
            return Optional.empty();
        }
        TenantSettings remembered = remembered(id);
        if (remembered != null) {
            return Optional.of(remembered);
        }
        long before = forgotten.get();
        return read(() -> tenants.findByIdOptional(id).map(tenant -> remember(tenant, before)));
    }

    /**
     * Settings are read from anywhere: requests, event consumers, authentication (before any
     * request context exists). Hibernate resolves its tenant only in a request context, so one is
     * opened for the read when the caller has none.
     */
    private static <T> T read(Callable<T> query) {
        return RequestContexts.within(() -> QuarkusTransaction.joiningExisting().call(query));
    }

    private TenantSettings remembered(UUID id) {
        return settingsById.getIfPresent(id);
    }

    private TenantSettings remember(Tenant tenant, long forgottenBefore) {
        TenantSettings settings = TenantSettings.of(tenant);
        if (forgotten.get() == forgottenBefore) {
            settingsById.put(tenant.id, settings);
            idBySlug.put(tenant.slug, tenant.id);
        }
        return settings;
    }

    void forget(UUID tenantId) {
        forgotten.incrementAndGet();
        settingsById.invalidate(tenantId);
    }

    /** Forgets the slug as well, so this replica holds nothing of a tenant that is gone. */
    void forgetDeleted(UUID tenantId) {
        forget(tenantId);
        idBySlug.asMap().values().removeIf(tenantId::equals);
    }

    /** A tenant changed, here or on another replica. */
    void onChanged(@Observes DomainEvent event) {
        if (EventType.TENANT_UPDATED.topic().equals(event.type())) {
            forget(event.tenantId());
        }
        TenantService.deletedTenant(event).ifPresent(this::forgetDeleted);
    }
}
