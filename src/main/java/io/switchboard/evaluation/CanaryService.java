package io.switchboard.evaluation;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.conversation.ArmOutcomes;
import io.switchboard.events.EventType;
import io.switchboard.events.Outbox;
import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelPolicy;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A tenant's canary: how it compares with the primary, its promotion, and its automatic rollback
 * when it breaks the limits its policy sets. Both are new policy versions, made only if the policy
 * has not changed since it was read, so replicas checking at once roll back once.
 */
@ApplicationScoped
public class CanaryService {

    private static final Logger LOG = Logger.getLogger(CanaryService.class);
    public static final String MONITOR = "canary-monitor";

    /** The event's data. */
    public record RolledBack(int version, String model, List<String> breaches) {}

    private final TenantService tenants;
    private final ModelPolicies policies;
    private final ArmOutcomes outcomes;
    private final Outbox outbox;
    private final AuditLog audit;
    private final MeterRegistry metrics;

    public CanaryService(
            TenantService tenants,
            ModelPolicies policies,
            ArmOutcomes outcomes,
            Outbox outbox,
            AuditLog audit,
            MeterRegistry metrics) {
        this.tenants = tenants;
        this.policies = policies;
        this.outcomes = outcomes;
        this.outbox = outbox;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** The running canary next to its primary; empty when the policy runs none. */
    public Optional<CanaryStatus> status(UUID tenantId) {
        return status(tenantId, policies.current(tenantId).state());
    }

    private Optional<CanaryStatus> status(UUID tenantId, ModelPolicies.PolicyState state) {
        ModelPolicy.Canary canary = state.policy().canary();
        if (canary == null) {
            return Optional.empty();
        }
        Instant since = startOf(tenantId, canary);
        return Optional.of(CanaryStatus.of(
                canary,
                since,
                outcomes.since(since, canary.model().endpoint(), canary.model().model())));
    }

    /** The canary becomes the primary, the old primary and fallbacks behind it. */
    @Transactional
    public ModelPolicies.PolicyState promote(UUID tenantId, Integer expectedVersion, String actor) {
        ModelPolicies.PolicyState state = policies.current(tenantId).state();
        ModelPolicy.Canary canary = state.policy().canary();
        if (canary == null) {
            throw new ProblemException(ProblemType.CONFLICT, "The model policy runs no canary to promote");
        }
        ModelPolicies.PolicyState promoted = policies.update(
                tenantId,
                state.policy().promoted(),
                expectedVersion == null ? state.version() : expectedVersion,
                actor);
        audit.record(
                tenantId,
                AuditLog.Action.CANARY_PROMOTED,
                "version " + promoted.version(),
                Map.of("model", canary.model().toString()));
        LOG.infof(
                "The canary %s was promoted to primary by %s (policy version %d)",
                canary.model(), actor, promoted.version());
        return promoted;
    }

    /** Rolls the canary back when it breaks its limits; true when this call did. */
    @Transactional
    public boolean rollBackIfWorse(UUID tenantId) {
        ModelPolicies.PolicyState state = policies.current(tenantId).state();
        Optional<CanaryStatus> status = status(tenantId, state);
        if (status.isEmpty() || status.get().breaches().isEmpty()) {
            return false;
        }
        ModelPolicy.Canary canary = state.policy().canary();
        // Refused (412) when another replica rolled it back or someone changed the policy meanwhile.
        ModelPolicies.PolicyState rolledBack =
                policies.update(tenantId, state.policy().withoutCanary(), state.version(), MONITOR);
        List<String> breaches = status.get().breaches();
        outbox.record(
                EventType.CANARY_ROLLED_BACK,
                tenantId,
                tenantId.toString(),
                new RolledBack(rolledBack.version(), canary.model().toString(), breaches));
        audit.record(
                tenantId,
                AuditLog.Action.CANARY_ROLLED_BACK,
                "version " + rolledBack.version(),
                Map.of("model", canary.model().toString(), "breaches", breaches));
        metrics.counter(
                        "switchboard.canary.rollbacks",
                        "tenant",
                        tenants.findById(tenantId).map(tenant -> tenant.slug()).orElse(""))
                .increment();
        LOG.warnf(
                "Rolled back the canary %s (policy version %d): %s",
                canary.model(), rolledBack.version(), String.join("; ", breaches));
        return true;
    }

    /** When the canary began: the oldest version of the latest unbroken run of versions with this canary model. */
    private Instant startOf(UUID tenantId, ModelPolicy.Canary canary) {
        Instant since = Instant.now();
        for (ModelPolicies.PolicyChange change : policies.history(tenantId)) {
            ModelPolicy.Canary then = change.policy().canary();
            if (then == null || !then.model().equals(canary.model())) {
                break;
            }
            since = change.at();
        }
        return since;
    }
}
