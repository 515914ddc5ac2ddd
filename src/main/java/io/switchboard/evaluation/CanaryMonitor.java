package io.switchboard.evaluation;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.model.ModelPolicies;
import io.switchboard.platform.TenantScope;
import io.switchboard.platform.WorkLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Every replica compares each running canary with its primary at an interval and rolls back those doing worse. */
@ApplicationScoped
public class CanaryMonitor {

    private static final Logger LOG = Logger.getLogger(CanaryMonitor.class);

    private final ModelPolicies policies;
    private final CanaryService canaries;
    private final WorkLoop loop;

    public CanaryMonitor(ModelPolicies policies, CanaryService canaries, EvaluationConfig config) {
        this.policies = policies;
        this.canaries = canaries;
        this.loop = new WorkLoop("canary-monitor", Integer.MAX_VALUE, config.canaryCheckInterval(), this::checkAll);
    }

    void start(@Observes StartupEvent started) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent stopped) throws InterruptedException {
        loop.stop(Duration.ofSeconds(5));
    }

    private int checkAll() {
        try {
            for (UUID tenantId : policies.withCanary()) {
                check(tenantId);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Listing the running canaries failed; trying again at the next interval");
        }
        return 0;
    }

    private void check(UUID tenantId) {
        try {
            TenantScope.run(tenantId, () -> canaries.rollBackIfWorse(tenantId));
        } catch (RuntimeException notRolledBack) {
            // Most often another replica rolled it back first, or the policy changed meanwhile; the next check sees.
            LOG.infof(
                    "tenant=%s the canary was not rolled back by this replica: %s",
                    tenantId, notRolledBack.getMessage());
        }
    }
}
