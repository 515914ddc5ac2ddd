package io.switchboard.conversation;

import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What the insight feature reads and keeps on a conversation: whether its customer has been asked
 * to rate it, the signals its quality grade is computed from, and the grade itself, which this
 * feature stores without interpreting.
 */
@ApplicationScoped
public class ConversationQuality {

    /** Whether the customer may rate the conversation now, and the language to ask in. */
    public record Survey(UUID conversationId, ConversationState state, boolean asked, String language) {}

    /**
     * What a grade is computed from: who answered, whether and why it went to a person, the
     * answers marked unhelpful, and the customer's own messages in order.
     */
    public record Signals(
            ConversationState state,
            String escalationReason,
            int botAnswers,
            int unhelpfulMarks,
            int agentReplies,
            List<String> customerMessages) {}

    private final ConversationLedger ledger;
    private final ConversationRepository conversations;
    private final MessageRepository messages;

    ConversationQuality(ConversationLedger ledger, ConversationRepository conversations, MessageRepository messages) {
        this.ledger = ledger;
        this.conversations = conversations;
        this.messages = messages;
    }

    /**
     * The conversation's survey, its row locked for the caller's transaction so two ratings of it
     * are taken one after the other.
     */
    @Transactional
    public Survey survey(UUID conversationId) {
        Conversation conversation = ledger.locked(conversationId);
        return new Survey(
                conversation.id,
                conversation.state,
                conversation.state == ConversationState.CLOSED || conversation.surveyOfferedAt != null,
                conversation.language);
    }

    @Transactional
    public Optional<Signals> signals(UUID conversationId) {
        return conversations.findInTenant(conversationId).map(conversation -> {
            List<Message> said = messages.visibleToCustomer(conversationId);
            return new Signals(
                    conversation.state,
                    conversation.escalationReason,
                    (int) said.stream().filter(m -> m.role == MessageRole.BOT).count(),
                    (int) said.stream()
                            .filter(m -> m.role == MessageRole.BOT && "unhelpful".equals(m.feedback))
                            .count(),
                    (int) said.stream().filter(m -> m.role == MessageRole.AGENT).count(),
                    said.stream()
                            .filter(m -> m.role == MessageRole.CUSTOMER)
                            .map(m -> m.text)
                            .toList());
        });
    }

    /** How many conversations started on these UTC days (both included) got each grade. */
    @Transactional
    public Map<String, Long> grades(LocalDate from, LocalDate to) {
        return conversations.grades(TenantScope.require(), UtcDays.startOf(from), UtcDays.endOf(to));
    }

    /** How many customers were asked to rate their conversation on these UTC days (both included). */
    @Transactional
    public long surveysOffered(LocalDate from, LocalDate to) {
        return conversations.surveysOffered(TenantScope.require(), UtcDays.startOf(from), UtcDays.endOf(to));
    }

    /**
     * Stores the grade and its reasons (the deciding one first). Under the conversation's row lock,
     * like every other change to it: the row is written whole, so it must not overwrite a turn
     * that escalated it meanwhile.
     */
    @Transactional
    public void grade(UUID conversationId, String grade, List<String> reasons) {
        Conversation conversation = ledger.locked(conversationId);
        conversation.grade = grade;
        conversation.gradeReasons = List.copyOf(reasons);
        conversation.gradedAt = Instant.now();
    }
}
