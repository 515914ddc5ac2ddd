package io.switchboard.platform;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import java.util.function.Supplier;

/**
 * Quarkus resolves Hibernate's tenant only inside a request context; work on other threads
 * (streaming, startup, jobs, authentication) gets one for its duration when it has none.
 */
public final class RequestContexts {

    private RequestContexts() {}

    public static <T> T within(Supplier<T> work) {
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
        }
    }
}
