package io.switchboard.model;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records what a model call used, a chat answer or an embedding: in the tenant's usage, which its
 * reports and budget read ({@link UsageMeter}), and in the counters per tenant and model.
 */
@Singleton
class ModelMetering {

    /** The meters of one tenant's use of one model, looked up once: the registry builds and sorts tags on every lookup. */
    private record ModelMeters(Timer timeToFirstToken, Counter inputTokens, Counter outputTokens, Counter costUsd) {}

    private record MetersKey(String tenant, ModelRef model) {}

    private final UsageMeter meter;
    private final MeterRegistry metrics;
    private final Map<MetersKey, ModelMeters> modelMeters = new ConcurrentHashMap<>();

    ModelMetering(UsageMeter meter, MeterRegistry metrics) {
        this.meter = meter;
        this.metrics = metrics;
    }

    /** {@code tenant} is the slug, as the counters are tagged. */
    void record(UUID tenantId, String tenant, ModelRef model, ModelRequest.Source source, ModelService.Usage usage) {
        ModelMeters meters = meters(tenant, model);
        meters.inputTokens().increment(usage.inputTokensOrZero());
        meters.outputTokens().increment(usage.outputTokensOrZero());
        meters.costUsd().increment(usage.costUsd().doubleValue());
        meter.record(tenantId, model, source, usage);
    }

    void timeToFirstToken(String tenant, ModelRef model, long millis) {
        meters(tenant, model).timeToFirstToken().record(millis, TimeUnit.MILLISECONDS);
    }

    private ModelMeters meters(String tenant, ModelRef model) {
        return modelMeters.computeIfAbsent(new MetersKey(tenant, model), key -> {
            Tags tags = Tags.of("tenant", tenant, "endpoint", model.endpoint(), "model", model.model());
            return new ModelMeters(
                    metrics.timer("switchboard.model.ttft", "tenant", tenant, "endpoint", model.endpoint()),
                    metrics.counter("switchboard.model.tokens", tags.and("direction", "input")),
                    metrics.counter("switchboard.model.tokens", tags.and("direction", "output")),
                    metrics.counter("switchboard.model.cost.usd", tags));
        });
    }
}
