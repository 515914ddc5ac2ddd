package io.switchboard.assistant;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.conversation.BotReply;
import io.switchboard.conversation.ConversationService;
import io.switchboard.conversation.CustomerIntake;
import io.switchboard.conversation.MessageView;
import io.switchboard.handoff.EscalationReason;
import io.switchboard.handoff.Escalations;
import io.switchboard.handoff.HandoffTriggers;
import io.switchboard.knowledge.Retrieval;
import io.switchboard.model.Grounding;
import io.switchboard.model.ModelFailure;
import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelRequest;
import io.switchboard.model.ModelService;
import io.switchboard.platform.LanguageDetection;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The bot's side of a turn once the customer's words are stored and no rule handed it off: within
 * the tenant's limits, ground the answer in the knowledge base, ask the tenant's model while
 * streaming to the customer (a model that calls tools may call the tenant's actions first, see
 * {@link ActionTurns}), review it, and store the reply with its provenance and citations; or hand
 * the conversation to a person. Every turn ends here counted by its outcome.
 */
@ApplicationScoped
class BotTurn {

    private static final Logger LOG = Logger.getLogger(BotTurn.class);

    /** Why a conversation is flagged whose model reply cited nothing and was replaced by the knowledge base's answer. */
    static final String UNCITED_REPLY = "uncited_reply";

    private final ConversationService conversations;
    private final Retrieval retrieval;
    private final ModelPolicies policies;
    private final AssistantConfig config;
    private final MeterRegistry metrics;
    private final Escalations escalations;
    private final TurnLimits limits;
    private final ReplyReview review;
    private final ActionTurns actionTurns;

    BotTurn(
            ConversationService conversations,
            Retrieval retrieval,
            ModelPolicies policies,
            AssistantConfig config,
            MeterRegistry metrics,
            Escalations escalations,
            TurnLimits limits,
            ReplyReview review,
            ActionTurns actionTurns) {
        this.conversations = conversations;
        this.retrieval = retrieval;
        this.policies = policies;
        this.config = config;
        this.metrics = metrics;
        this.escalations = escalations;
        this.limits = limits;
        this.review = review;
        this.actionTurns = actionTurns;
    }

    /**
     * The bot's answer to a stored customer turn, grounded in what {@code text} asks, the model's
     * request continued with {@code after} (what came of a decided action), within the tenant's limits.
     */
    TurnResult answer(
            TenantSettings tenant,
            UUID conversationId,
            CustomerIntake.CustomerTurn turn,
            String text,
            LanguageDetection.Guess language,
            List<ModelRequest.Turn> after,
            TurnListener listener,
            Timer.Sample sample) {
        Optional<ConsumptionLimits.Limit> limit = limits.reached(tenant, turn);
        if (limit.isPresent()) {
            ConversationService.Appended notice = limits.refuse(tenant, conversationId, limit.get());
            count(tenant, limit.get().escalationReason().id(), sample);
            return new TurnResult(turn.message(), notice.message(), notice.state());
        }
        Grounding grounding = ground(tenant, text, language);
        ModelRequest request = request(tenant, turn.history(), grounding, ModelRequest.Source.CONVERSATION)
                .continuedWith(after);
        try {
            ModelPolicies.PolicyState policy =
                    policies.forConversation(tenant.id(), turn.modelPolicyVersion(), turn.canary());
            OutputGuard guard = ReplyReview.guardFor(tenant, grounding, turn.history());
            GuardedStream stream = new GuardedStream(listener, guard, RequiredCitations.of(tenant) ? grounding : null);
            ActionTurns.Answered answered = actionTurns.answer(
                    tenant, conversationId, turn.contactId(), policy.policy(), request, stream::onToken);
            if (answered == null) {
                LOG.warn("Handed off to a person: the tenant's actions did not get the request done");
                return handOff(tenant, conversationId, turn, EscalationReason.ACTION_FAILED, sample);
            }
            ModelService.Answer answer = PromptAssembler.withCitations(answered.answer(), grounding);
            limits.charge(tenant, turn, answer);
            Optional<String> unusable =
                    HandoffTriggers.unusableAnswer(answer.reply().text());
            if (unusable.isPresent()) {
                LOG.warnf("Handed off to a person: %s answered unusably (%s)", answer.model(), unusable.get());
                return handOff(tenant, conversationId, turn, EscalationReason.UNPARSABLE_ANSWER, sample);
            }
            boolean uncited = RequiredCitations.unmet(tenant, answer);
            if (uncited) {
                if (!RequiredCitations.knowledgeAnswers(grounding)) {
                    LOG.infof("Handed off to a person: %s cited no passage", answer.model());
                    countUncited(tenant, "handoff");
                    return handOff(tenant, conversationId, turn, EscalationReason.UNGROUNDED, sample);
                }
                conversations.flag(conversationId, UNCITED_REPLY);
                LOG.infof(
                        "Replaced a reply of %s that cited no passage with the knowledge base's answer",
                        answer.model());
                countUncited(tenant, "retrieval");
                answer = RequiredCitations.knowledgeAnswer(answer, grounding);
            }
            ModelService.Answer shown = review.reviewed(tenant, conversationId, answer, guard, turn.language());
            if (shown == answer && !uncited) {
                stream.finish();
            }
            answer = shown.reply().cutShort() ? limits.endedAtLimit(tenant, shown, turn.language()) : shown;
            EscalationReason escalation = answer.reply().confident() ? null : EscalationReason.LOW_CONFIDENCE;
            ConversationService.Appended reply = conversations.appendBotReply(
                    conversationId,
                    new BotReply(
                            answer,
                            tenant.configVersion(),
                            policy.version(),
                            escalation == null ? null : escalation.id()));
            if (reply.message() == null) {
                LOG.info("A person took over while the model answered; the bot's answer was dropped");
                count(tenant, "human", sample);
                return new TurnResult(turn.message(), null, reply.state());
            }
            if (answer.reply().cutShort() && limits.handsOff(tenant)) {
                ConversationService.Appended notice =
                        escalations.handOff(tenant, conversationId, EscalationReason.LIMIT_OUTPUT_TOKENS_PER_TURN);
                count(tenant, EscalationReason.LIMIT_OUTPUT_TOKENS_PER_TURN.id(), sample);
                return new TurnResult(turn.message(), reply.message(), notice.state());
            }
            LOG.infof(
                    "Bot answered with %s in %d ms (knowledge confidence %.2f)",
                    answer.model(), answer.reply().latencyMillis(), grounding.confidence());
            count(tenant, escalation == null ? "answered" : escalation.id(), sample);
            return new TurnResult(turn.message(), reply.message(), reply.state()).pending(answered.pending());
        } catch (ModelFailure failure) {
            EscalationReason reason = failure.reason() == ModelFailure.Reason.BUDGET_EXCEEDED
                    ? EscalationReason.BUDGET_EXCEEDED
                    : EscalationReason.MODEL_FAILURE;
            LOG.warnf(
                    "Handed off to a person after model failure: %s",
                    failure.reason().tag());
            return handOff(tenant, conversationId, turn, reason, sample);
        }
    }

    Grounding ground(TenantSettings tenant, String question, LanguageDetection.Guess language) {
        return retrieval.ground(question, language, tenant.minAnswerConfidence(), config.knowledgePassages());
    }

    private void countUncited(TenantSettings tenant, String outcome) {
        metrics.counter("switchboard.assistant.uncited", "tenant", tenant.slug(), "outcome", outcome)
                .increment();
    }

    /** What the model is asked for the latest customer message of {@code history}, live or replayed. */
    ModelRequest request(
            TenantSettings tenant, List<MessageView> history, Grounding grounding, ModelRequest.Source source) {
        return new ModelRequest(
                tenant.id(),
                tenant.slug(),
                source,
                null,
                PromptAssembler.assemble(tenant, history, grounding, config.historyTokens()),
                grounding,
                ConsumptionLimits.of(tenant).maxOutputTokensPerTurn(),
                true);
    }

    /** The turn ends with the conversation handed to a person for this reason. */
    TurnResult handOff(
            TenantSettings tenant,
            UUID conversationId,
            CustomerIntake.CustomerTurn turn,
            EscalationReason reason,
            Timer.Sample sample) {
        ConversationService.Appended notice = escalations.handOff(tenant, conversationId, reason);
        count(tenant, reason.id(), sample);
        return new TurnResult(turn.message(), notice.message(), notice.state());
    }

    void count(TenantSettings tenant, String outcome, Timer.Sample sample) {
        sample.stop(Timer.builder("switchboard.turn.duration")
                .description("Time from a customer message to the stored reply")
                .tags("tenant", tenant.slug(), "outcome", outcome)
                .publishPercentileHistogram()
                .register(metrics));
        metrics.counter("switchboard.turns", "tenant", tenant.slug(), "outcome", outcome)
                .increment();
    }
}
