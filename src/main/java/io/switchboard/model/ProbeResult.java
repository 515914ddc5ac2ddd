package io.switchboard.model;

import java.time.Instant;

/**
 * What a capability probe found on an endpoint for one model: reachable, the model listed by
 * {@code /models}, a streamed answer, token usage reported, the time to the first token, and
 * what it can do beyond text ({@link Capabilities}; unknown for a result stored before probes
 * checked them, or when the model did not stream).
 */
public record ProbeResult(
        String endpoint,
        String model,
        boolean reachable,
        boolean modelListed,
        boolean streams,
        boolean reportsUsage,
        Long timeToFirstTokenMillis,
        String problem,
        Instant probedAt,
        Capabilities capabilities) {

    public ProbeResult {
        capabilities = capabilities == null ? Capabilities.UNKNOWN : capabilities;
    }

    /** Usable for a tenant: it answers in a stream and lists the model; usage may be estimated. */
    public boolean passed() {
        return reachable && modelListed && streams;
    }
}
