package io.switchboard.assistant;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.conversation.ConversationService;
import io.switchboard.conversation.ConversationState;
import io.switchboard.conversation.CustomerIntake;
import io.switchboard.conversation.MessageView;
import io.switchboard.handoff.EscalationReason;
import io.switchboard.handoff.EscalationRules;
import io.switchboard.handoff.Escalations;
import io.switchboard.handoff.HandoffTriggers;
import io.switchboard.model.Grounding;
import io.switchboard.model.ModelFailure;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRequest;
import io.switchboard.model.ModelService;
import io.switchboard.platform.InFlightWork;
import io.switchboard.platform.LanguageDetection;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
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
 * What a customer does in a conversation, and the bot's turn after it: store the customer's message,
 * hand off at once when a deterministic trigger fires (the customer asks for a person, a tenant
 * keyword), else let {@link BotTurn} answer it (ground, ask the model, which may call the tenant's
 * actions, review, store). The customer's decision on a write the bot offered is a turn too
 * ({@link #decideAction}). No transaction is held while the model streams.
 */
@ApplicationScoped
public class AssistantService {

    private static final Logger LOG = Logger.getLogger(AssistantService.class);

    private final ConversationService conversations;
    private final CustomerIntake intake;
    private final ModelService models;
    private final AssistantConfig config;
    private final MeterRegistry metrics;
    private final Escalations escalations;
    private final InFlightWork inFlight;
    private final StorageSpace storage;
    private final CustomerSignals signals;
    private final LanguageDetection languages;
    private final ActionTurns actionTurns;
    private final BotTurn bot;

    public AssistantService(
            ConversationService conversations,
            CustomerIntake intake,
            ModelService models,
            AssistantConfig config,
            MeterRegistry metrics,
            Escalations escalations,
            InFlightWork inFlight,
            StorageSpace storage,
            CustomerSignals signals,
            LanguageDetection languages,
            ActionTurns actionTurns,
            BotTurn bot) {
        this.conversations = conversations;
        this.intake = intake;
        this.models = models;
        this.config = config;
        this.metrics = metrics;
        this.escalations = escalations;
        this.inFlight = inFlight;
        this.storage = storage;
        this.signals = signals;
        this.languages = languages;
        this.actionTurns = actionTurns;
        this.bot = bot;
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
        CustomerIntake.CustomerTurn turn = received.turn;
        Timer.Sample sample = received.sample;
        if (turn.state() != ConversationState.BOT) {
            // A person owns (or is about to own) the conversation: the bot stays silent.
            bot.count(tenant, "human", sample);
            return new TurnResult(turn.message(), null, turn.state());
        }
        Optional<EscalationReason> trigger = HandoffTriggers.reasonFor(text, EscalationRules.of(tenant))
                .or(() -> signals.rephrasedTooOften(tenant, conversationId, turn.history()))
                .or(() -> signals.injectionAttempt(tenant, conversationId, text));
        if (trigger.isPresent()) {
            LOG.infof("Handed off to a person: %s", trigger.get().id());
            return bot.handOff(tenant, conversationId, turn, trigger.get(), sample);
        }
        return bot.answer(
                tenant,
                conversationId,
                turn,
                text,
                turn.language() != null ? LanguageDetection.Guess.known(turn.language()) : received.said,
                List.of(),
                listener,
                sample);
    }

    /**
     * The customer confirmed or declined a write the bot offered: {@link ActionTurns#decide} makes
     * the call (once) or records the refusal, the decision is stored as the customer's message, and
     * the model, told what came of it, answers like any turn. Nothing is called for a conversation
     * that is closed.
     */
    public TurnResult decideAction(
            TenantSettings tenant, UUID conversationId, UUID pendingId, boolean confirmed, TurnListener listener) {
        storage.requireRoomForMessages();
        return inFlight.track(() -> withAwayTime(tenant, TenantScope.call(tenant.id(), () -> {
            Timer.Sample sample = Timer.start(metrics);
            if (conversations.state(conversationId) == ConversationState.CLOSED) {
                throw new ProblemException(ProblemType.CONFLICT, "This conversation is closed; start a new one");
            }
            ActionTurns.Decided decided = actionTurns.decide(tenant, conversationId, pendingId, confirmed);
            CustomerIntake.CustomerTurn turn = intake.appendCustomerMessage(
                    conversationId, decided.customerText(), null, config.historyMessages());
            if (turn.state() != ConversationState.BOT) {
                bot.count(tenant, "human", sample);
                return new TurnResult(turn.message(), null, turn.state());
            }
            return bot.answer(
                    tenant,
                    conversationId,
                    turn,
                    decided.customerText(),
                    turn.language() != null
                            ? LanguageDetection.Guess.known(turn.language())
                            : languages.guess(decided.customerText()),
                    decided.turns(),
                    listener,
                    sample);
        })));
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
        Grounding grounding = bot.ground(tenant, text, languages.guess(text));
        ModelRequest request = bot.request(tenant, history, grounding, ModelRequest.Source.EVALUATION);
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
}
