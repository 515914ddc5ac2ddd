package io.switchboard.model;

import java.time.Instant;

/**
 * What a capability probe found on an endpoint for one model: reachable, the model listed by
 * {@code /models}, a streamed answer, token usage reported, and the time to the first token.
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
        Instant probedAt) {

    /** Usable for a tenant: it answers in a stream and lists the model; usage may be estimated. */
    public boolean passed() {
        return reachable && modelListed && streams;
    }
}
