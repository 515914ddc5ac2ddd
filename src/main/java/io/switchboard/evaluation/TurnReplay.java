package io.switchboard.evaluation;

import io.switchboard.assistant.AssistantService;
import io.switchboard.assistant.Rehearsal;
import io.switchboard.conversation.MessageView;
import io.switchboard.knowledge.Retrieval;
import io.switchboard.model.Grounding;
import io.switchboard.model.ModelFailure;
import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.model.ModelRequest;
import io.switchboard.model.ModelService;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Replays one planned turn with the candidate model and scores it against the reply the customer
 * actually got: the outcome, the agreement with the reference, and the judge's grade when the
 * evaluation has a judge.
 */
@ApplicationScoped
class TurnReplay {

    private static final Logger LOG = Logger.getLogger(TurnReplay.class);
    /** The judge answers with one digit; anything around it is ignored. */
    private static final Pattern GRADE = Pattern.compile("[1-5]");

    private static final String JUDGE_INSTRUCTIONS = """
            You grade a customer-support assistant. Compare the CANDIDATE answer with the REFERENCE answer the support team \
            actually gave to the same customer message. Reply with one digit only: 5 = same resolution and facts, 4 = same \
            resolution with small differences, 3 = partly the same, 2 = mostly different, 1 = contradicts the reference or \
            misses the point.""";

    private final AssistantService assistant;
    private final Retrieval retrieval;
    private final ModelService models;
    private final ModelPolicies policies;

    TurnReplay(AssistantService assistant, Retrieval retrieval, ModelService models, ModelPolicies policies) {
        this.assistant = assistant;
        this.retrieval = retrieval;
        this.models = models;
        this.policies = policies;
    }

    /**
     * The model alone (the candidate, or the judge), under the tenant's residency and monthly
     * budget: a self-hosted tenant's transcripts never go to a hosted judge, and a spent budget
     * stops the replay instead of degrading to another model, which would score the wrong one.
     */
    ModelPolicy underTenantRules(TenantSettings tenant, ModelRef candidate) {
        ModelPolicy current = TenantScope.call(
                        tenant.id(), () -> policies.current(tenant.id()).state())
                .policy();
        ModelPolicy.Budget budget = current.budget() == null
                ? null
                : new ModelPolicy.Budget(current.budget().monthlyUsd(), ModelPolicy.OnExceeded.HANDOFF);
        return new ModelPolicy(candidate, List.of(), budget, current.residency(), ModelPolicy.OpenConversations.KEEP);
    }

    /** The turn as the candidate answers it now; throws {@link BudgetSpent} once the tenant's budget is spent. */
    EvaluationTurn replay(TenantSettings tenant, ModelPolicy policy, ModelPolicy judge, PlannedTurn turn) {
        MessageView question = turn.customerMessage();
        List<MessageView> history = turn.past().messages().subList(0, turn.index() + 1);
        Rehearsal rehearsal;
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

    /** The candidate's budget is spent: the replay stops. */
    static final class BudgetSpent extends RuntimeException {
        BudgetSpent() {
            super(null, null, false, false);
        }
    }
}
