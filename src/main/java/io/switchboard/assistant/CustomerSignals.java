package io.switchboard.assistant;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.conversation.ConversationService;
import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.MessageView;
import io.switchboard.handoff.EscalationReason;
import io.switchboard.handoff.EscalationRules;
import io.switchboard.knowledge.Retrieval;
import io.switchboard.platform.InjectionScore;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What a customer's message says beyond its words: asking the same question again right after
 * an answer (that answer did not help), or a prompt injection (flagged for review). Either may
 * send the conversation to a person, per the tenant's escalation rules.
 */
@ApplicationScoped
class CustomerSignals {

    private static final int REPHRASE_MIN_WORDS = 4;

    private static final Logger LOG = Logger.getLogger(CustomerSignals.class);

    private final ConversationService conversations;
    private final Retrieval retrieval;
    private final AssistantConfig config;
    private final MeterRegistry metrics;

    CustomerSignals(
            ConversationService conversations, Retrieval retrieval, AssistantConfig config, MeterRegistry metrics) {
        this.conversations = conversations;
        this.retrieval = retrieval;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * A customer who asks the same question again, in other words, right after the bot answered
     * it, did not get what they needed: that answer counts as marked unhelpful. Returns the
     * hand-off reason once the tenant's number of unhelpful answers in a row is reached.
     */
    Optional<EscalationReason> rephrasedTooOften(
            TenantSettings tenant, UUID conversationId, List<MessageView> history) {
        int current = history.size() - 1;
        if (current < 2
                || history.get(current - 1).role() != MessageRole.BOT
                || history.get(current - 2).role() != MessageRole.CUSTOMER
                || words(history.get(current).text()) < REPHRASE_MIN_WORDS
                || words(history.get(current - 2).text()) < REPHRASE_MIN_WORDS) {
            // Short replies ("yes", "ok thanks") look alike without asking anything again.
            return Optional.empty();
        }
        double similarity = retrieval.questionSimilarity(
                history.get(current - 2).text(), history.get(current).text());
        if (similarity < config.rephraseSimilarity()) {
            return Optional.empty();
        }
        int unhelpfulInARow = conversations.markAnswer(
                conversationId, history.get(current - 1).id(), false);
        LOG.infof(
                "The customer rephrased the last question (similarity %.2f); %d unhelpful answers in a row",
                similarity, unhelpfulInARow);
        return unhelpfulInARow >= EscalationRules.of(tenant).unhelpfulAnswers()
                ? Optional.of(EscalationReason.UNHELPFUL_ANSWERS)
                : Optional.empty();
    }
    /**
     * A message that looks like a prompt injection flags the conversation for review and, when
     * the tenant's rules say so, goes to a person; otherwise the bot answers (behind the output guard).
     */
    Optional<EscalationReason> injectionAttempt(TenantSettings tenant, UUID conversationId, String text) {
        if (InjectionScore.of(text) < InjectionScore.SUSPICIOUS) {
            return Optional.empty();
        }
        conversations.flag(conversationId, EscalationReason.PROMPT_INJECTION.id());
        metrics.counter("switchboard.guard.injection", "tenant", tenant.slug()).increment();
        LOG.info("The message looks like a prompt injection; the conversation is flagged for review");
        return EscalationRules.of(tenant).escalateOnInjection()
                ? Optional.of(EscalationReason.PROMPT_INJECTION)
                : Optional.empty();
    }

    private static int words(String text) {
        return text.strip().split("\\s+").length;
    }
}
