package io.switchboard.tenant;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The tenant whose data the current thread may touch. Every entry point (REST, WebSocket,
 * startup loader) resolves the tenant once and runs its work inside {@link #call}; Hibernate's
 * tenant filter reads it, so a query can never forget the tenant. Work runs synchronously on
 * the calling thread (worker threads, never the event loop), which is why a thread-local holds.
 */
public final class TenantScope {

    /** What Hibernate sees outside any tenant: matches no tenant-owned row. */
    static final UUID NO_TENANT = new UUID(0, 0);

    private static final ThreadLocal<UUID> CURRENT = new ThreadLocal<>();

    private TenantScope() {
    }

    public static <T> T call(UUID tenantId, Supplier<T> work) {
        UUID previous = CURRENT.get();
        CURRENT.set(tenantId);
        // Quarkus consults the tenant resolver only inside a request context; background
        // threads (streaming, startup, jobs) get one for the duration of the work.
        ManagedContext requestContext = Arc.container().requestContext();
        boolean activated = !requestContext.isActive();
        if (activated) {
            requestContext.activate();
        }
        try {
            return work.get();
        } finally {
            if (activated) {
                requestContext.terminate();
            }
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    public static void run(UUID tenantId, Runnable work) {
        call(tenantId, () -> {
            work.run();
            return null;
        });
    }

    public static Optional<UUID> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** For code that must only ever run for a tenant: fails loudly instead of reading nothing. */
    public static UUID require() {
        return current().orElseThrow(() -> new IllegalStateException("No tenant in scope"));
    }
}
