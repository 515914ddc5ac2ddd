package io.switchboard.model;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Singleton;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * What protects model calls: SmallRye Fault Tolerance's circuit breaker per model of an endpoint, so a
 * failing model is skipped for every tenant until it recovers (one endpoint of a hosted router
 * serves many models, and one of them failing says nothing about the others); and a share of
 * concurrent calls per tenant, so one tenant's slow model cannot hold all the platform's capacity.
 */
@Singleton
class ModelGuards {

    private static final Logger LOG = Logger.getLogger(ModelGuards.class);

    private final ModelConfig config;
    private final MeterRegistry metrics;
    private final Map<ModelRef, CircuitBreakerState> circuitStates = new ConcurrentHashMap<>();
    private final Map<ModelRef, TypedGuard<CompletionStage<ModelReply>>> circuits = new ConcurrentHashMap<>();
    private final Map<UUID, Semaphore> shares = new ConcurrentHashMap<>();

    ModelGuards(ModelConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /** Calls the model unless its circuit is open; failures that blame the model count against it. */
    CompletableFuture<ModelReply> throughCircuit(ModelRef model, Supplier<CompletableFuture<ModelReply>> call) {
        CompletionStage<ModelReply> guarded;
        try {
            guarded = circuits.computeIfAbsent(model, this::circuit).get(call::get);
        } catch (CircuitBreakerOpenException open) {
            return CompletableFuture.failedFuture(circuitOpen(model));
        }
        return guarded.toCompletableFuture()
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                        ModelFailure.unwrap(failure) instanceof CircuitBreakerOpenException
                                ? circuitOpen(model)
                                : ModelFailure.from(failure)));
    }

    /**
     * Takes one of the tenant's concurrent model calls, or none when all are in flight (the
     * caller then fails at once rather than queue behind the tenant's slow model). Counted here
     * rather than by SmallRye's bulkhead, whose asynchronous form always queues.
     */
    Optional<Runnable> tenantShare(UUID tenantId) {
        Semaphore share = shares.computeIfAbsent(tenantId, id -> new Semaphore(config.tenantConcurrency()));
        if (!share.tryAcquire()) {
            return Optional.empty();
        }
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(() -> {
            if (released.compareAndSet(false, true)) {
                share.release();
            }
        });
    }

    /** Whether calls to the model are being skipped right now. */
    boolean isOpen(ModelRef model) {
        return circuitStates.getOrDefault(model, CircuitBreakerState.CLOSED) == CircuitBreakerState.OPEN;
    }

    private TypedGuard<CompletionStage<ModelReply>> circuit(ModelRef model) {
        ModelConfig.Circuit settings = config.circuit();
        metrics.gauge(
                "switchboard.model.circuit.open",
                Tags.of("endpoint", model.endpoint(), "model", model.model()),
                this,
                guards -> guards.isOpen(model) ? 1 : 0);
        return TypedGuard.create(new TypeLiteral<CompletionStage<ModelReply>>() {})
                .withCircuitBreaker()
                .requestVolumeThreshold(settings.requestVolume())
                .failureRatio(settings.failureRatio())
                // One tenant's refused request (a prompt too long: 400) must not open the circuit for every tenant.
                .when(failure -> ModelFailure.from(failure).blamesTheModel())
                .delay(settings.delay().toMillis(), ChronoUnit.MILLIS)
                .onStateChange(state -> {
                    circuitStates.put(model, state);
                    LOG.infof("Circuit of model %s is now %s", model, state);
                })
                .done()
                // The call is asynchronous already: offloading it would only add a hop and a context capture per call.
                .withThreadOffload(false)
                .build();
    }

    private static ModelFailure circuitOpen(ModelRef model) {
        return new ModelFailure(
                ModelFailure.Reason.CIRCUIT_OPEN, "Model " + model + " is skipped after repeated failures");
    }
}
