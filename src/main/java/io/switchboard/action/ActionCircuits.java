package io.switchboard.action;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.inject.Singleton;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * A circuit breaker per action of a tenant, SmallRye Fault Tolerance's as for model endpoints: an
 * API that keeps failing is not called again for a while, so each customer turn fails at once
 * (outcome {@code circuit_open}) instead of waiting out the timeout, and the API gets room to
 * recover; after the delay one trial call decides whether it closes again. A refusal or a 4xx is
 * the request's fault, not the API's, and never counts.
 */
@Singleton
class ActionCircuits {

    private static final Logger LOG = Logger.getLogger(ActionCircuits.class);

    private record Key(UUID tenantId, UUID actionId) {}

    private record Circuit(TypedGuard<ActionOutcome> guard, Gauge gauge) {}

    private final ActionsConfig.Circuit settings;
    private final MeterRegistry metrics;
    private final Map<Key, Circuit> circuits = new ConcurrentHashMap<>();
    private final Map<Key, CircuitBreakerState> states = new ConcurrentHashMap<>();

    ActionCircuits(ActionsConfig config, MeterRegistry metrics) {
        this.settings = config.circuit();
        this.metrics = metrics;
    }

    /** Makes the call unless the action's circuit is open; the outcomes that blame the API count against it. */
    ActionOutcome through(UUID tenantId, UUID actionId, String actionName, Supplier<ActionOutcome> call) {
        Key key = new Key(tenantId, actionId);
        try {
            return circuits.computeIfAbsent(key, ignored -> circuit(key, actionName))
                    .guard()
                    .get(() -> {
                        ActionOutcome outcome = call.get();
                        if (blamesTheApi(outcome)) {
                            throw new Failed(outcome);
                        }
                        return outcome;
                    });
        } catch (Failed failed) {
            return failed.outcome;
        } catch (CircuitBreakerOpenException open) {
            return ActionOutcome.refused(
                    actionName,
                    ActionOutcome.Kind.CIRCUIT_OPEN,
                    "the business's system failed repeatedly; this action is paused for "
                            + settings.delay().toSeconds() + " s");
        }
    }

    /** Drops the action's circuit: it was changed (a fixed URL deserves a fresh start) or deleted. */
    void forget(UUID tenantId, UUID actionId) {
        Key key = new Key(tenantId, actionId);
        Circuit circuit = circuits.remove(key);
        states.remove(key);
        if (circuit != null) {
            metrics.remove(circuit.gauge());
        }
    }

    static boolean blamesTheApi(ActionOutcome outcome) {
        return switch (outcome.kind()) {
            case TIMEOUT, UNREACHABLE, INVALID_JSON, TOO_LARGE -> true;
            case HTTP_STATUS -> outcome.status() != null && outcome.status() >= 500;
            default -> false;
        };
    }

    private Circuit circuit(Key key, String actionName) {
        Gauge gauge = Gauge.builder(
                        "switchboard.actions.circuit.open",
                        states,
                        current -> current.getOrDefault(key, CircuitBreakerState.CLOSED) == CircuitBreakerState.OPEN
                                ? 1
                                : 0)
                .description("1 while the action's circuit is open (its calls fail at once), else 0")
                .tag("tenant", key.tenantId().toString())
                .tag("action", actionName)
                .register(metrics);
        TypedGuard<ActionOutcome> guard = TypedGuard.create(ActionOutcome.class)
                .withCircuitBreaker()
                .requestVolumeThreshold(settings.requestVolume())
                .failureRatio(settings.failureRatio())
                .when(failure -> failure instanceof Failed)
                .delay(settings.delay().toMillis(), ChronoUnit.MILLIS)
                .onStateChange(state -> {
                    states.put(key, state);
                    LOG.infof(
                            "Circuit of action %s (%s) of tenant %s is now %s",
                            key.actionId(), actionName, key.tenantId(), state);
                })
                .done()
                .build();
        return new Circuit(guard, gauge);
    }

    /** Carries a failed outcome through the guard, which counts exceptions; no stack trace, it is not a bug. */
    private static final class Failed extends RuntimeException {

        private final transient ActionOutcome outcome;

        Failed(ActionOutcome outcome) {
            super(outcome.reason(), null, false, false);
            this.outcome = outcome;
        }
    }
}
