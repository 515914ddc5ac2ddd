package io.switchboard.assistant;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.conversation.ConversationService;
import io.switchboard.conversation.CustomerIntake;
import io.switchboard.handoff.Escalations;
import io.switchboard.model.ModelService;
import io.switchboard.platform.CustomerTexts;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The tenant's consumption limits applied to a bot turn: whether the turn may ask the model at
 * all, what the customer is told when it may not, what the answer cost, and how an answer cut
 * short at the output limit ends.
 */
@ApplicationScoped
class TurnLimits {

    private static final Logger LOG = Logger.getLogger(TurnLimits.class);

    private final ConversationService conversations;
    private final Escalations escalations;
    private final TokenRates tokenRates;
    private final AssistantConfig config;
    private final MeterRegistry metrics;

    TurnLimits(
            ConversationService conversations,
            Escalations escalations,
            TokenRates tokenRates,
            AssistantConfig config,
            MeterRegistry metrics) {
        this.conversations = conversations;
        this.escalations = escalations;
        this.tokenRates = tokenRates;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * The consumption limit this turn would break, if any: turns and tokens of the conversation
     * (kept on the conversation's row, so every replica agrees), then the contact's and tenant's token rates.
     */
    Optional<ConsumptionLimits.Limit> reached(TenantSettings tenant, CustomerIntake.CustomerTurn turn) {
        ConsumptionLimits limits = ConsumptionLimits.of(tenant);
        if (turn.consumed().botTurns() >= limits.maxTurnsPerConversation()) {
            return Optional.of(ConsumptionLimits.Limit.TURNS_PER_CONVERSATION);
        }
        if (turn.consumed().tokens() >= limits.maxTokensPerConversation()) {
            return Optional.of(ConsumptionLimits.Limit.TOKENS_PER_CONVERSATION);
        }
        return tokenRates.exceeded(tenant.id(), turn.contactId(), limits);
    }

    /** The bot does not answer beyond a limit: it says so politely, or a person takes over, per the tenant's limits. */
    ConversationService.Appended refuse(TenantSettings tenant, UUID conversationId, ConsumptionLimits.Limit limit) {
        count(tenant, limit);
        if (handsOff(tenant)) {
            LOG.infof("Handed off to a person: the %s limit is reached", limit.id());
            return escalations.handOff(tenant, conversationId, limit.escalationReason());
        }
        LOG.infof("The bot did not answer: the %s limit is reached", limit.id());
        return conversations.notice(
                conversationId,
                known -> CustomerTexts.configured(config.limitNotice(), tenant.customerLanguage(known)));
    }

    /** The tokens an answer used count against the contact's and the tenant's rates. */
    void charge(TenantSettings tenant, CustomerIntake.CustomerTurn turn, ModelService.Answer answer) {
        tokenRates.charge(
                tenant.id(),
                turn.contactId(),
                ConsumptionLimits.of(tenant),
                answer.usage().totalTokens());
    }

    /** An answer stopped at the output token limit says so, in the customer's language, rather than passing for complete. */
    ModelService.Answer endedAtLimit(TenantSettings tenant, ModelService.Answer answer, String language) {
        count(tenant, ConsumptionLimits.Limit.OUTPUT_TOKENS_PER_TURN);
        LOG.infof(
                "The answer of %s reached the limit of %d output tokens and was ended there",
                answer.model(), ConsumptionLimits.of(tenant).maxOutputTokensPerTurn());
        return answer.withReply(answer.reply()
                .withText(answer.reply().text().stripTrailing() + "…\n\n"
                        + CustomerTexts.configured(config.cutShortNotice(), tenant.customerLanguage(language))));
    }

    /** Whether a limit hands the conversation to a person rather than only telling the customer. */
    boolean handsOff(TenantSettings tenant) {
        return ConsumptionLimits.of(tenant).onExceeded() == ConsumptionLimits.OnExceeded.HANDOFF;
    }

    private void count(TenantSettings tenant, ConsumptionLimits.Limit limit) {
        metrics.counter("switchboard.limit.exceeded", "tenant", tenant.slug(), "limit", limit.id())
                .increment();
    }
}
