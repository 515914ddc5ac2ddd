package io.switchboard.platform;

import io.micrometer.core.instrument.Metrics;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

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
    private static final ThreadLocal<String> PLATFORM_REASON = new ThreadLocal<>();
    private static final Logger LOG = Logger.getLogger(TenantScope.class);

    private TenantScope() {}

    public static <T> T call(UUID tenantId, Supplier<T> work) {
        UUID previous = CURRENT.get();
        CURRENT.set(tenantId);
        try {
            return RequestContexts.within(work);
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** {@link #call}, for work that may throw checked exceptions (an intercepted method): they reach the caller unchanged. */
    public static <T> T callChecked(UUID tenantId, Callable<T> work) throws Exception {
        try {
            return call(tenantId, () -> {
                try {
                    return work.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CheckedFailure(e);
                }
            });
        } catch (CheckedFailure failure) {
            throw failure.checked;
        }
    }

    private static final class CheckedFailure extends RuntimeException {

        private final Exception checked;

        CheckedFailure(Exception checked) {
            super(checked);
            this.checked = checked;
        }
    }

    public static void run(UUID tenantId, Runnable work) {
        call(tenantId, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs platform-wide work that must see every tenant's rows (the outbox relay, metering,
     * looking up a credential before its tenant is known): the explicit bypass of row-level
     * security. Each use names its reason, is counted per reason in metrics and logged at
     * debug level. It takes effect for connections taken inside it, so it must wrap whole
     * transactions, never start in the middle of one.
     */
    public static <T> T asPlatform(String reason, Supplier<T> work) {
        String previous = PLATFORM_REASON.get();
        PLATFORM_REASON.set(reason);
        Metrics.counter("switchboard.platform.access", "reason", reason).increment();
        LOG.debugf("Platform-wide access: %s", reason);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                PLATFORM_REASON.remove();
            } else {
                PLATFORM_REASON.set(previous);
            }
        }
    }

    public static void asPlatform(String reason, Runnable work) {
        asPlatform(reason, () -> {
            work.run();
            return null;
        });
    }

    /** True inside {@link #asPlatform}: connections taken now see all tenants. */
    public static boolean isPlatform() {
        return PLATFORM_REASON.get() != null;
    }

    public static Optional<UUID> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** For code that must only ever run for a tenant: fails loudly instead of reading nothing. */
    public static UUID require() {
        return current().orElseThrow(() -> new IllegalStateException("No tenant in scope"));
    }
}
