package io.switchboard.evaluation;

import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.Problem;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Replay evaluations of candidate models on a tenant's own past conversations: started, followed,
 * cancelled and compared here; run by {@link EvaluationRunner}.
 */
@ApplicationScoped
public class EvaluationService {

    private static final int LIST_LIMIT = 100;
    private static final int MAX_COMPARED = 10;

    /** Evaluations side by side, best first: by score, then by projected cost. */
    public record Comparison(boolean sameSample, List<Ranked> ranking) {}

    public record Ranked(int rank, Evaluation evaluation) {}

    private final EvaluationRepository evaluations;
    private final EvaluationRunner runner;
    private final ModelPolicies policies;
    private final AuditLog audit;

    public EvaluationService(
            EvaluationRepository evaluations, EvaluationRunner runner, ModelPolicies policies, AuditLog audit) {
        this.evaluations = evaluations;
        this.runner = runner;
        this.policies = policies;
        this.audit = audit;
    }

    /**
     * Queues an evaluation of a model the tenant could choose (and of the judge, when one is
     * named): the same checks as a model policy, so nothing is replayed on a model it may not use.
     */
    @Transactional
    public Evaluation start(UUID tenantId, EvaluationRequest request, String actor) {
        List<Problem.FieldError> problems = new ArrayList<>(fieldErrors("candidate", request.candidate(), tenantId));
        if (request.judge() != null) {
            problems.addAll(fieldErrors("judge", request.judge(), tenantId));
        }
        EvaluationRequest.Sample sample = request.sample();
        if (sample.from().isAfter(sample.to())) {
            problems.add(new Problem.FieldError("sample.from", "must not be after sample.to"));
        }
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems);
        }
        Evaluation evaluation = new Evaluation(
                UUID.randomUUID(),
                request.candidate(),
                request.judge(),
                sample,
                Evaluation.State.QUEUED,
                new Evaluation.Progress(0, 0),
                null,
                null,
                actor,
                Instant.now(),
                null,
                null);
        evaluations.insert(tenantId, evaluation);
        audit.record(
                tenantId,
                AuditLog.Action.EVALUATION_STARTED,
                evaluation.id().toString(),
                Map.of("candidate", request.candidate().toString(), "size", sample.size()));
        return evaluation;
    }

    /** What stops the tenant from using the model, under its residency too: a judge reads transcripts as a candidate does. */
    private List<Problem.FieldError> fieldErrors(String field, ModelRef model, UUID tenantId) {
        ModelPolicy.Residency residency =
                policies.current(tenantId).state().policy().residency();
        return policies
                .problemsWith(
                        tenantId,
                        new ModelPolicy(model, List.of(), null, residency, ModelPolicy.OpenConversations.KEEP))
                .stream()
                .map(problem -> new Problem.FieldError(field, problem.message()))
                .toList();
    }

    /** Starts waiting evaluations now rather than at the next poll: call once the new one is committed. */
    public void runSoon() {
        runner.wakeUp();
    }

    public List<Evaluation> list(UUID tenantId) {
        return evaluations.list(tenantId, LIST_LIMIT);
    }

    public Evaluation get(UUID tenantId, UUID id) {
        return evaluations.find(tenantId, id).orElseThrow(() -> ProblemException.notFound("Evaluation"));
    }

    public List<EvaluationTurn> turns(UUID tenantId, UUID id) {
        get(tenantId, id);
        return evaluations.turns(tenantId, id);
    }

    /** Stops an evaluation that has not finished; the turns replayed so far stay. */
    public Evaluation cancel(UUID tenantId, UUID id) {
        Evaluation evaluation = get(tenantId, id);
        if (evaluation.state().finished()) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "The evaluation has already ended (" + evaluation.state().id() + ")");
        }
        evaluations.finish(tenantId, id, Evaluation.State.CANCELLED, null, "Cancelled");
        return get(tenantId, id);
    }

    /** The evaluations that have results, best first: by score, then by the cheaper projected month. */
    public static List<Evaluation> bestFirst(List<Evaluation> evaluations) {
        return evaluations.stream()
                .filter(evaluation -> evaluation.summary() != null)
                .sorted(Comparator.comparingDouble(
                                (Evaluation evaluation) -> evaluation.summary().score())
                        .reversed()
                        .thenComparing(evaluation -> evaluation.summary().projectedMonthlyCostUsd()))
                .toList();
    }

    /** Finished evaluations side by side, best first; says whether they replayed the same sample. */
    public Comparison compare(UUID tenantId, List<UUID> ids) {
        if (ids.size() < 2 || ids.size() > MAX_COMPARED) {
            throw ProblemException.invalid("ids", "name between 2 and " + MAX_COMPARED + " evaluations");
        }
        List<Evaluation> compared =
                ids.stream().distinct().map(id -> get(tenantId, id)).toList();
        for (Evaluation evaluation : compared) {
            if (evaluation.summary() == null) {
                throw new ProblemException(
                        ProblemType.CONFLICT,
                        "Evaluation " + evaluation.id() + " has no results yet ("
                                + evaluation.state().id() + ")");
            }
        }
        List<Evaluation> best = bestFirst(compared);
        List<Ranked> ranking = new ArrayList<>();
        for (int i = 0; i < best.size(); i++) {
            ranking.add(new Ranked(i + 1, best.get(i)));
        }
        boolean sameSample =
                compared.stream().map(Evaluation::sample).distinct().count() == 1;
        return new Comparison(sameSample, ranking);
    }
}
