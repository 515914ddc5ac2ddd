package io.switchboard.evaluation;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.conversation.Transcripts;
import io.switchboard.model.ModelPolicy;
import io.switchboard.platform.TenantScope;
import io.switchboard.platform.WorkLoop;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Runs replay evaluations in the background, one at a time per replica, a few turns at once.
 * Each replica polls for evaluations waiting to run or abandoned by a stopped replica; turns
 * already stored are skipped on a resumed run. The candidate answers under the tenant's monthly
 * budget: once it is spent the evaluation stops, with the turns replayed so far summarised.
 * Which turns to replay is {@link PlannedTurn#plan}; replaying and scoring one is {@link TurnReplay}.
 */
@ApplicationScoped
public class EvaluationRunner {

    private static final Logger LOG = Logger.getLogger(EvaluationRunner.class);

    private final EvaluationRepository evaluations;
    private final EvaluationConfig config;
    private final Transcripts transcripts;
    private final TenantService tenants;
    private final TurnReplay replays;
    private final WorkLoop loop;
    private volatile boolean stopping;

    public EvaluationRunner(
            EvaluationRepository evaluations,
            EvaluationConfig config,
            Transcripts transcripts,
            TenantService tenants,
            TurnReplay replays) {
        this.evaluations = evaluations;
        this.config = config;
        this.transcripts = transcripts;
        this.tenants = tenants;
        this.replays = replays;
        this.loop = new WorkLoop("evaluations", 1, config.poll(), this::runNext);
    }

    void start(@Observes StartupEvent started) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent stopped) throws InterruptedException {
        // The evaluation in progress stops between turns; its heartbeat goes stale and a replica resumes it.
        stopping = true;
        loop.stop(Duration.ofSeconds(5));
    }

    /** A new evaluation is waiting: start it now rather than at the next poll. */
    void wakeUp() {
        loop.wakeUp();
    }

    private int runNext() {
        try {
            Optional<EvaluationRepository.Claimed> claimed =
                    stopping ? Optional.empty() : evaluations.claimNext(config.staleAfter());
            claimed.ifPresent(this::run);
            return claimed.isPresent() ? 1 : 0;
        } catch (RuntimeException e) {
            LOG.warnf(e, "Running an evaluation failed; it will be tried again");
            return 0;
        }
    }

    private void run(EvaluationRepository.Claimed claimed) {
        UUID tenantId = claimed.tenantId();
        Optional<TenantSettings> found = tenants.findById(tenantId);
        Evaluation evaluation = evaluations.find(tenantId, claimed.id()).orElse(null);
        if (found.isEmpty() || evaluation == null) {
            return;
        }
        TenantSettings tenant = found.get();
        EvaluationRequest.Sample sample = evaluation.sample();
        List<PlannedTurn> plan = TenantScope.call(
                tenantId,
                () -> PlannedTurn.plan(transcripts.sample(sample.from(), sample.to(), sample.states(), sample.size())));
        evaluations.planned(tenantId, evaluation.id(), plan.size());
        LOG.infof(
                "tenant=%s evaluation %s of %s: replaying %d turns",
                tenant.slug(), evaluation.id(), evaluation.candidate(), plan.size());
        Set<UUID> done = evaluations.doneMessages(tenantId, evaluation.id());
        ModelPolicy policy = replays.underTenantRules(tenant, evaluation.candidate());
        ModelPolicy judge = evaluation.judge() == null ? null : replays.underTenantRules(tenant, evaluation.judge());
        Semaphore slots = new Semaphore(config.concurrency());
        AtomicReference<String> stoppedBecause = new AtomicReference<>();
        try (ExecutorService turns = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PlannedTurn turn : plan) {
                if (done.contains(turn.customerMessage().id())) {
                    continue;
                }
                slots.acquireUninterruptibly();
                if (stoppedBecause.get() != null || stopping) {
                    slots.release();
                    break;
                }
                turns.execute(() -> {
                    try {
                        EvaluationTurn replayed =
                                TenantScope.call(tenantId, () -> replays.replay(tenant, policy, judge, turn));
                        if (!evaluations.addTurn(tenantId, evaluation.id(), replayed)) {
                            stoppedBecause.compareAndSet(null, "cancelled");
                        }
                    } catch (TurnReplay.BudgetSpent spent) {
                        stoppedBecause.compareAndSet(null, "The tenant's monthly budget is spent");
                    } catch (RuntimeException failed) {
                        LOG.warnf(
                                failed,
                                "tenant=%s evaluation %s: a turn could not be replayed",
                                tenant.slug(),
                                evaluation.id());
                        stoppedBecause.compareAndSet(
                                null,
                                "A turn could not be replayed: "
                                        + failed.getClass().getSimpleName());
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        String reason = stoppedBecause.get();
        if (stopping && reason == null || "cancelled".equals(reason)) {
            return;
        }
        List<EvaluationTurn> replayed = evaluations.turns(tenantId, evaluation.id());
        long monthlyMessages = TenantScope.call(
                tenantId, () -> transcripts.customerMessagesSince(Instant.now().minus(Duration.ofDays(30))));
        EvaluationSummary summary = EvaluationSummary.of(replayed, monthlyMessages);
        if (evaluations.finish(
                tenantId,
                evaluation.id(),
                reason == null ? Evaluation.State.DONE : Evaluation.State.FAILED,
                summary,
                reason == null
                        ? null
                        : reason + "; " + replayed.size() + " of " + plan.size() + " turns were replayed")) {
            LOG.infof(
                    "tenant=%s evaluation %s of %s %s: score %.3f over %d turns",
                    tenant.slug(),
                    evaluation.id(),
                    evaluation.candidate(),
                    reason == null ? "done" : "stopped",
                    summary.score(),
                    replayed.size());
        }
    }
}
