package io.switchboard.assistant;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.conversation.BotReply;
import io.switchboard.conversation.ConversationService;
import io.switchboard.conversation.ConversationState;
import io.switchboard.conversation.CustomerIntake;
import io.switchboard.conversation.MessageView;
import io.switchboard.handoff.EscalationReason;
import io.switchboard.handoff.EscalationRules;
import io.switchboard.handoff.Escalations;
import io.switchboard.handoff.HandoffTriggers;
import io.switchboard.knowledge.Retrieval;
import io.switchboard.model.Grounding;
import io.switchboard.model.ModelFailure;
import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRequest;
import io.switchboard.model.ModelService;
import io.switchboard.platform.InFlightWork;
import io.switchboard.platform.LanguageDetection;
import io.switchboard.platform.StorageSpace;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One bot turn: store the customer's message, hand off at once when a deterministic trigger
 * fires (the customer asks for a person, a tenant keyword), else find the knowledge to ground the answer in, ask
 * the tenant's model while streaming to the customer (a model that calls tools may call the tenant's actions
 * first, see {@link ActionTurns}), store the reply with its provenance and
 * citations. A failing model, or an answer the knowledge base does not support, hands the
 * conversation to a person. No transaction is held while the model streams.
 */
@ApplicationScoped
public class AssistantService {

    private static final Logger LOG = Logger.getLogger(AssistantService.class);

    /** Why a conversation is flagged whose model reply cited nothing and was replaced by the knowledge base's answer. */
    static final String UNCITED_REPLY = "uncited_reply";

    private final ConversationService conversations;
    private final CustomerIntake intake;
    private final Retrieval retrieval;
    private final ModelService models;
    private final ModelPolicies policies;
    private final AssistantConfig config;
    private final MeterRegistry metrics;
    private final Escalations escalations;
    private final TurnLimits limits;
    private final InFlightWork inFlight;
    private final StorageSpace storage;
    private final ReplyReview review;
    private final CustomerSignals signals;
    private final LanguageDetection languages;
    private final ActionTurns actionTurns;

    public AssistantService(
            ConversationService conversations,
            CustomerIntake intake,
            Retrieval retrieval,
            ModelService models,
            ModelPolicies policies,
            AssistantConfig config,
            MeterRegistry metrics,
            Escalations escalations,
            TurnLimits limits,
            InFlightWork inFlight,
            StorageSpace storage,
            ReplyReview review,
            CustomerSignals signals,
            LanguageDetection languages,
            ActionTurns actionTurns) {
        this.languages = languages;
        this.actionTurns = actionTurns;
        this.inFlight = inFlight;
        this.storage = storage;
        this.review = review;
        this.signals = signals;
        this.escalations = escalations;
        this.limits = limits;
        this.conversations = conversations;
        this.intake = intake;
        this.retrieval = retrieval;
        this.models = models;
        this.policies = policies;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * A customer's message and the bot's answer to it; counted in flight, so a stopping replica
     * finishes it. Refused (503) while the database's storage is nearly full.
     */
    public TurnResult handleCustomerMessage(
            TenantSettings tenant, UUID conversationId, String text, TurnListener listener) {
        storage.requireRoomForMessages();
        return inFlight.track(() -> withAwayTime(
                tenant,
                TenantScope.call(tenant.id(), () -> turn(tenant, store(tenant, conversationId, text), listener))));
    }

    /** Stores a customer's message: the first half of a turn. */
    ReceivedMessage store(TenantSettings tenant, UUID conversationId, String text) {
        Timer.Sample sample = Timer.start(metrics);
        // The one language detection of the turn: a message long enough to tell its language
        // makes it the conversation's; a shorter one keeps the conversation's.
        LanguageDetection.Guess said = languages.guess(text);
        CustomerIntake.CustomerTurn turn =
                intake.appendCustomerMessage(conversationId, text, said.sureLanguage(), config.historyMessages());
        return new ReceivedMessage(conversationId, text, said, turn, sample);
    }

    /** The bot's answer to a stored message: the second half of a turn. */
    TurnResult turn(TenantSettings tenant, ReceivedMessage received, TurnListener listener) {
        UUID conversationId = received.conversationId;
        String text = received.text;
        LanguageDetection.Guess said = received.said;
        CustomerIntake.CustomerTurn turn = received.turn;
        Timer.Sample sample = received.sample;
        if (turn.state() != ConversationState.BOT) {
            // A person owns (or is about to own) the conversation: the bot stays silent.
            count(tenant, "human", sample);
            return new TurnResult(turn.message(), null, turn.state());
        }
        Optional<EscalationReason> trigger = HandoffTriggers.reasonFor(text, EscalationRules.of(tenant))
                .or(() -> signals.rephrasedTooOften(tenant, conversationId, turn.history()))
                .or(() -> signals.injectionAttempt(tenant, conversationId, text));
        if (trigger.isPresent()) {
            LOG.infof("Handed off to a person: %s", trigger.get().id());
            return handOff(tenant, conversationId, turn, trigger.get(), sample);
        }
        Optional<ConsumptionLimits.Limit> limit = limits.reached(tenant, turn);
        if (limit.isPresent()) {
            ConversationService.Appended notice = limits.refuse(tenant, conversationId, limit.get());
            count(tenant, limit.get().escalationReason().id(), sample);
            return new TurnResult(turn.message(), notice.message(), notice.state());
        }
        Grounding grounding =
                ground(tenant, text, turn.language() != null ? LanguageDetection.Guess.known(turn.language()) : said);
        ModelRequest request = request(tenant, turn.history(), grounding, ModelRequest.Source.CONVERSATION);
        try {
            ModelPolicies.PolicyState policy =
                    policies.forConversation(tenant.id(), turn.modelPolicyVersion(), turn.canary());
            OutputGuard guard = ReplyReview.guardFor(tenant, grounding, turn.history());
            GuardedStream stream = new GuardedStream(listener, guard, RequiredCitations.of(tenant) ? grounding : null);
            ModelService.Answer answered = actionTurns.answer(
                    tenant, conversationId, turn.contactId(), policy.policy(), request, stream::onToken);
            if (answered == null) {
                LOG.warn("Handed off to a person: the tenant's actions did not get the request done");
                return handOff(tenant, conversationId, turn, EscalationReason.ACTION_FAILED, sample);
            }
            ModelService.Answer answer = PromptAssembler.withCitations(answered, grounding);
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
            return new TurnResult(turn.message(), reply.message(), reply.state());
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

    /**
     * What the bot would have done with a past customer turn (the last message of {@code history})
     * under another model policy, as a live turn decides it, with the knowledge base as it is
     * now: nothing is stored or sent, and the model calls are metered as an evaluation's.
     * Deterministic triggers answer without a model; a model failure is an escalation, except a
     * spent budget, which is thrown: the replay must stop rather than score it.
     */
    public Rehearsal rehearse(TenantSettings tenant, List<MessageView> history, ModelPolicy policy)
            throws ModelFailure {
        String text = history.getLast().text();
        Optional<EscalationReason> trigger = HandoffTriggers.reasonFor(text, EscalationRules.of(tenant));
        if (trigger.isPresent()) {
            return new Rehearsal(null, trigger.get().id(), true);
        }
        Grounding grounding = ground(tenant, text, languages.guess(text));
        ModelRequest request = request(tenant, history, grounding, ModelRequest.Source.EVALUATION);
        try {
            ModelService.Answer answer =
                    PromptAssembler.withCitations(models.chat(policy, request, fragment -> {}), grounding);
            if (HandoffTriggers.unusableAnswer(answer.reply().text()).isPresent()) {
                return new Rehearsal(answer, EscalationReason.UNPARSABLE_ANSWER.id(), false);
            }
            if (RequiredCitations.unmet(tenant, answer)) {
                return RequiredCitations.knowledgeAnswers(grounding)
                        ? new Rehearsal(RequiredCitations.knowledgeAnswer(answer, grounding), null, false)
                        : new Rehearsal(answer, EscalationReason.UNGROUNDED.id(), false);
            }
            return new Rehearsal(
                    answer, answer.reply().confident() ? null : EscalationReason.LOW_CONFIDENCE.id(), false);
        } catch (ModelFailure failure) {
            if (failure.reason() == ModelFailure.Reason.BUDGET_EXCEEDED) {
                throw failure;
            }
            return new Rehearsal(null, EscalationReason.MODEL_FAILURE.id(), false);
        }
    }

    private Grounding ground(TenantSettings tenant, String question, LanguageDetection.Guess language) {
        return retrieval.ground(question, language, tenant.minAnswerConfidence(), config.knowledgePassages());
    }

    private void countUncited(TenantSettings tenant, String outcome) {
        metrics.counter("switchboard.assistant.uncited", "tenant", tenant.slug(), "outcome", outcome)
                .increment();
    }

    /** What the model is asked for the latest customer message of {@code history}, live or replayed. */
    private ModelRequest request(
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

    /**
     * The customer marked one of the bot's answers; once the tenant's number of answers in a row
     * is marked unhelpful, a person takes over.
     */
    public TurnResult rateAnswer(TenantSettings tenant, UUID conversationId, UUID messageId, boolean helpful) {
        return withAwayTime(tenant, TenantScope.call(tenant.id(), () -> {
            int unhelpfulInARow = conversations.markAnswer(conversationId, messageId, helpful);
            if (unhelpfulInARow >= EscalationRules.of(tenant).unhelpfulAnswers()) {
                ConversationService.Appended notice =
                        escalations.handOff(tenant, conversationId, EscalationReason.UNHELPFUL_ANSWERS);
                LOG.infof("Handed off to a person after %d unhelpful answers in a row", unhelpfulInARow);
                return new TurnResult(null, notice.message(), notice.state());
            }
            return new TurnResult(null, null, conversations.state(conversationId));
        }));
    }

    /** The customer leaves an email for the team to reply to. */
    public TurnResult leaveEmail(TenantSettings tenant, UUID conversationId, String email) {
        return withAwayTime(tenant, TenantScope.call(tenant.id(), () -> {
            ConversationService.Appended confirmation = conversations.leaveEmail(conversationId, email);
            LOG.info("The customer left an email for the team");
            return new TurnResult(null, confirmation.message(), confirmation.state());
        }));
    }

    /** The customer pressed "talk to a person". */
    public TurnResult requestPerson(TenantSettings tenant, UUID conversationId) {
        return withAwayTime(tenant, TenantScope.call(tenant.id(), () -> {
            ConversationService.Appended notice =
                    escalations.handOff(tenant, conversationId, EscalationReason.CUSTOMER_REQUEST);
            return new TurnResult(null, notice.message(), notice.state());
        }));
    }

    /** A conversation that waits while nobody can answer says so (and when they are back), so the widget can offer to leave an email. */
    TurnResult withAwayTime(TenantSettings tenant, TurnResult result) {
        if (result.state() != ConversationState.PENDING_HUMAN) {
            return result;
        }
        return escalations
                .away(tenant)
                .map(away -> result.away(
                        away.back().map(ZonedDateTime::toOffsetDateTime).orElse(null)))
                .orElse(result);
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
