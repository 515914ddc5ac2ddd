package io.switchboard.evaluation;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.assistant.AssistantService;
import io.switchboard.conversation.ConversationState;
import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.MessageView;
import io.switchboard.conversation.Transcripts;
import io.switchboard.handoff.EscalationReason;
import io.switchboard.knowledge.Retrieval;
import io.switchboard.model.Grounding;
import io.switchboard.model.ModelFailure;
import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.model.ModelRequest;
import io.switchboard.model.ModelService;
import io.switchboard.platform.TenantScope;
import io.switchboard.platform.WorkLoop;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Runs replay evaluations in the background, one at a time per replica, a few turns at once.
 * Each replica polls for evaluations waiting to run or abandoned by a stopped replica; turns
 * already stored are skipped on a resumed run. The candidate answers under the tenant's monthly
 * budget: once it is spent the evaluation stops, with the turns replayed so far summarised.
 */
@ApplicationScoped
public class EvaluationRunner {

    private static final Logger LOG = Logger.getLogger(EvaluationRunner.class);
    /** Escalations that say the question needed a person, as opposed to a rule, a limit or a model that broke. */
    private static final Pattern GRADE = Pattern.compile("[1-5]");

    private static final String JUDGE_INSTRUCTIONS = """
            You grade a customer-support assistant. Compare the CANDIDATE answer with the REFERENCE answer the support team \
            actually gave to the same customer message. Reply with one digit only: 5 = same resolution and facts, 4 = same \
            resolution with small differences, 3 = partly the same, 2 = mostly different, 1 = contradicts the reference or \
            misses the point.""";

    /** A past customer turn to replay, with what should have happened and what the customer actually got. */
    record PlannedTurn(
            Transcripts.Past past, int index, Boolean expectedEscalation, MessageView actualReply, boolean resolving) {

        MessageView customerMessage() {
            return past.messages().get(index);
        }
    }

    private final EvaluationRepository evaluations;
    private final EvaluationConfig config;
    private final Transcripts transcripts;
    private final AssistantService assistant;
    private final Retrieval retrieval;
    private final ModelService models;
    private final TenantService tenants;
    private final ModelPolicies policies;
    private final WorkLoop loop;
    private volatile boolean stopping;

    public EvaluationRunner(
            EvaluationRepository evaluations,
            EvaluationConfig config,
            Transcripts transcripts,
            AssistantService assistant,
            Retrieval retrieval,
            ModelService models,
            TenantService tenants,
            ModelPolicies policies) {
        this.evaluations = evaluations;
        this.config = config;
        this.transcripts = transcripts;
        this.assistant = assistant;
        this.retrieval = retrieval;
        this.models = models;
        this.tenants = tenants;
        this.policies = policies;
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
                tenantId, () -> plan(transcripts.sample(sample.from(), sample.to(), sample.states(), sample.size())));
        evaluations.planned(tenantId, evaluation.id(), plan.size());
        LOG.infof(
                "tenant=%s evaluation %s of %s: replaying %d turns",
                tenant.slug(), evaluation.id(), evaluation.candidate(), plan.size());
        Set<UUID> done = evaluations.doneMessages(tenantId, evaluation.id());
        ModelPolicy policy = underTenantRules(tenant, evaluation.candidate());
        ModelPolicy judge = evaluation.judge() == null ? null : underTenantRules(tenant, evaluation.judge());
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
                        EvaluationTurn replayed = TenantScope.call(tenantId, () -> replay(tenant, policy, judge, turn));
                        if (!evaluations.addTurn(tenantId, evaluation.id(), replayed)) {
                            stoppedBecause.compareAndSet(null, "cancelled");
                        }
                    } catch (BudgetSpent spent) {
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

    /**
     * The model alone (the candidate, or the judge), under the tenant's residency and monthly
     * budget: a self-hosted tenant's transcripts never go to a hosted judge, and a spent budget
     * stops the replay instead of degrading to another model, which would score the wrong one.
     */
    private ModelPolicy underTenantRules(TenantSettings tenant, ModelRef candidate) {
        ModelPolicy current = TenantScope.call(
                        tenant.id(), () -> policies.current(tenant.id()).state())
                .policy();
        ModelPolicy.Budget budget = current.budget() == null
                ? null
                : new ModelPolicy.Budget(current.budget().monthlyUsd(), ModelPolicy.OnExceeded.HANDOFF);
        return new ModelPolicy(candidate, List.of(), budget, current.residency(), ModelPolicy.OpenConversations.KEEP);
    }

    private EvaluationTurn replay(TenantSettings tenant, ModelPolicy policy, ModelPolicy judge, PlannedTurn turn) {
        MessageView question = turn.customerMessage();
        List<MessageView> history = turn.past().messages().subList(0, turn.index() + 1);
        AssistantService.Rehearsal rehearsal;
        try {
            rehearsal = assistant.rehearse(tenant, history, policy);
        } catch (ModelFailure budgetSpent) {
            throw new BudgetSpent();
        }
        EvaluationTurn.Outcome outcome = rehearsal.byRule()
                ? EvaluationTurn.Outcome.RULE
                : rehearsal.escalation() == null ? EvaluationTurn.Outcome.ANSWERED : EvaluationTurn.Outcome.ESCALATED;
        ModelService.Answer answer = rehearsal.answer();
        String reply = answer == null ? null : answer.reply().text();
        String reference =
                turn.actualReply() == null ? null : turn.actualReply().text();
        Double similarity = reply == null || reference == null ? null : retrieval.similarity(reply, reference);
        Integer grade = judge == null || outcome != EvaluationTurn.Outcome.ANSWERED || reference == null
                ? null
                : grade(tenant, judge, question.text(), reference, reply);
        return new EvaluationTurn(
                question.id(),
                turn.past().summary().id(),
                question.seq(),
                outcome,
                rehearsal.escalation(),
                outcome == EvaluationTurn.Outcome.RULE ? null : turn.expectedEscalation(),
                reply,
                answer == null ? null : answer.reply().citations(),
                answer != null && !answer.reply().citations().isEmpty(),
                similarity,
                turn.resolving(),
                grade,
                answer == null ? null : (int) answer.reply().timeToFirstTokenMillis(),
                answer == null ? null : (int) answer.reply().latencyMillis(),
                answer == null ? null : answer.usage().inputTokens(),
                answer == null ? null : answer.usage().outputTokens(),
                answer == null ? null : answer.usage().costUsd());
    }

    /** The judge's grade of the candidate's answer against the reference, or null when it gave none. */
    private Integer grade(
            TenantSettings tenant, ModelPolicy judge, String question, String reference, String candidate) {
        ModelRequest request = new ModelRequest(
                tenant.id(),
                tenant.slug(),
                ModelRequest.Source.EVALUATION,
                null,
                List.of(
                        new ModelRequest.Turn(ModelRequest.Role.SYSTEM, JUDGE_INSTRUCTIONS),
                        new ModelRequest.Turn(
                                ModelRequest.Role.USER,
                                "CUSTOMER MESSAGE:\n" + question + "\n\nREFERENCE:\n" + reference + "\n\nCANDIDATE:\n"
                                        + candidate)),
                Grounding.none(),
                8,
                true);
        try {
            Matcher digit = GRADE.matcher(
                    models.chat(judge, request, fragment -> {}).reply().text());
            return digit.find() ? Integer.parseInt(digit.group()) : null;
        } catch (ModelFailure failure) {
            LOG.infof(
                    "tenant=%s the judge %s gave no grade: %s",
                    tenant.slug(), judge.primary(), failure.reason().tag());
            return null;
        }
    }

    /**
     * The customer turns the bot handled in each sampled conversation (up to a person taking over),
     * each with its known right outcome: a person was needed at the turn that escalated for want of
     * an answer; the bot was right to answer every turn of a conversation it closed on its own.
     * Other turns score on grounding and agreement only.
     */
    static List<PlannedTurn> plan(List<Transcripts.Past> sample) {
        List<PlannedTurn> plan = new ArrayList<>();
        for (Transcripts.Past past : sample) {
            List<MessageView> messages = past.messages();
            Instant escalatedAt = past.summary().escalatedAt();
            boolean personJoined = messages.stream().anyMatch(message -> message.role() == MessageRole.AGENT);
            boolean botResolved =
                    past.summary().state() == ConversationState.CLOSED && escalatedAt == null && !personJoined;
            boolean personNeeded = escalatedAt != null
                    && EscalationReason.botCouldNotAnswer(past.summary().escalationReason());
            MessageView resolvingReply =
                    past.summary().state() == ConversationState.CLOSED ? lastReply(messages) : null;
            List<Integer> botTurns = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                MessageView message = messages.get(i);
                if (message.role() == MessageRole.AGENT
                        || escalatedAt != null && message.createdAt().isAfter(escalatedAt)) {
                    break;
                }
                if (message.role() == MessageRole.CUSTOMER) {
                    botTurns.add(i);
                }
            }
            for (int turn = 0; turn < botTurns.size(); turn++) {
                int index = botTurns.get(turn);
                boolean escalatingTurn = escalatedAt != null && turn == botTurns.size() - 1;
                Boolean expected = botResolved ? Boolean.FALSE : personNeeded && escalatingTurn ? Boolean.TRUE : null;
                MessageView actual = escalatingTurn
                        ? firstAfter(messages, index, MessageRole.AGENT, false)
                        : firstAfter(messages, index, null, true);
                plan.add(new PlannedTurn(past, index, expected, actual, actual != null && actual == resolvingReply));
            }
        }
        return plan;
    }

    /** The first bot or person reply after the message (of this role only, when given), stopping at the customer's next message if asked. */
    private static MessageView firstAfter(
            List<MessageView> messages, int index, MessageRole role, boolean beforeNextCustomerMessage) {
        for (MessageView message : messages.subList(index + 1, messages.size())) {
            if (beforeNextCustomerMessage && message.role() == MessageRole.CUSTOMER) {
                return null;
            }
            boolean reply = message.role() == MessageRole.BOT || message.role() == MessageRole.AGENT;
            if (reply && (role == null || message.role() == role)) {
                return message;
            }
        }
        return null;
    }

    private static MessageView lastReply(List<MessageView> messages) {
        for (MessageView message : messages.reversed()) {
            if (message.role() == MessageRole.BOT || message.role() == MessageRole.AGENT) {
                return message;
            }
        }
        return null;
    }

    /** The candidate's budget is spent: the replay stops. */
    private static final class BudgetSpent extends RuntimeException {
        BudgetSpent() {
            super(null, null, false, false);
        }
    }
}
