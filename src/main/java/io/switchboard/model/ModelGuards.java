package io.switchboard.model;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * SmallRye Fault Tolerance around model calls: a circuit breaker per model of an endpoint, so a
 * failing model is skipped for every tenant until it recovers (one endpoint of a hosted router
 * serves many models, and one of them failing says nothing about the others), and a bulkhead
 * per tenant, so one tenant's slow model cannot hold all the platform's capacity.
 */
@ApplicationScoped
class ModelGuards {

    private static final Logger LOG = Logger.getLogger(ModelGuards.class);

    private final ModelConfig config;
    private final MeterRegistry metrics;
    private final Map<ModelRef, Guard> circuits = new ConcurrentHashMap<>();
    private final Map<ModelRef, CircuitBreakerState> circuitStates = new ConcurrentHashMap<>();
    private final Map<UUID, Guard> bulkheads = new ConcurrentHashMap<>();

    ModelGuards(ModelConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /** Calls the model unless its circuit is open; failures that blame the model count against it. */
    ModelReply throughCircuit(ModelRef model, Callable<ModelReply> call) throws ModelFailure {
        try {
            return circuits.computeIfAbsent(model, this::circuit).call(call, ModelReply.class);
        } catch (CircuitBreakerOpenException open) {
            throw new ModelFailure(ModelFailure.Reason.CIRCUIT_OPEN, "Model " + model + " is skipped after repeated failures");
        } catch (ModelFailure failure) {
            throw failure;
        } catch (Exception unexpected) {
            throw new ModelFailure(ModelFailure.Reason.HTTP_ERROR, "Model call failed: " + unexpected.getClass().getSimpleName(), unexpected);
        }
    }

    /** Runs a tenant's model work within its share of concurrent calls, or fails at once when the share is taken. */
    <T> T withinTenantShare(UUID tenantId, Class<T> type, Callable<T> work) throws ModelFailure {
        try {
            return bulkheads.computeIfAbsent(tenantId, id -> Guard.create()
                    .withBulkhead().limit(config.tenantConcurrency()).done()
                    .build()).call(work, type);
        } catch (BulkheadException full) {
            throw new ModelFailure(ModelFailure.Reason.TENANT_BUSY,
                    "The tenant already has " + config.tenantConcurrency() + " model calls in flight");
        } catch (ModelFailure failure) {
            throw failure;
        } catch (RuntimeException unchecked) {
            throw unchecked;
        } catch (Exception unexpected) {
            throw new IllegalStateException(unexpected);
        }
    }

    /** Whether calls to the model are being skipped right now. */
    boolean isOpen(ModelRef model) {
        return circuitStates.getOrDefault(model, CircuitBreakerState.CLOSED) == CircuitBreakerState.OPEN;
    }

    private Guard circuit(ModelRef model) {
        ModelConfig.Circuit settings = config.circuit();
        metrics.gauge("switchboard.model.circuit.open", Tags.of("endpoint", model.endpoint(), "model", model.model()), this,
                guards -> guards.isOpen(model) ? 1 : 0);
        return Guard.create()
                .withCircuitBreaker()
                .requestVolumeThreshold(settings.requestVolume())
                .failureRatio(settings.failureRatio())
                // One tenant's refused request (a prompt too long: 400) must not open the circuit for every tenant.
                .when(failure -> !(failure instanceof ModelFailure modelFailure) || modelFailure.blamesTheModel())
                .delay(settings.delay().toMillis(), ChronoUnit.MILLIS)
                .onStateChange(state -> {
                    circuitStates.put(model, state);
                    LOG.infof("Circuit of model %s is now %s", model, state);
                })
                .done()
                .build();
    }
}
