package io.switchboard.insight;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.assistant.AssistantConfig;
import io.switchboard.conversation.ConversationQuality;
import io.switchboard.events.EventType;
import io.switchboard.events.SharedEvents;
import io.switchboard.knowledge.Retrieval;
import io.switchboard.platform.LogContext;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Grades a conversation ({@link QualityGrade}) whenever one of its signals changes: it went to a
 * person, was handed back, closed, an answer was marked, or the customer rated it. Runs once per
 * event for the whole platform (the shared consumer group), and stores the grade in PostgreSQL so
 * every replica shows the same.
 */
@ApplicationScoped
class QualityGrading {

    private static final Logger LOG = Logger.getLogger(QualityGrading.class);

    /** Shorter messages ("yes", "ok thanks") look alike without asking anything again. */
    private static final int QUESTION_MIN_WORDS = 4;

    /** The customer's latest messages compared with one another: enough for any real conversation, bounded for a long one. */
    private static final int QUESTIONS_COMPARED = 20;

    private static final Set<String> SIGNALS = Set.of(
            EventType.CONVERSATION_ESCALATED.topic(),
            EventType.CONVERSATION_RELEASED.topic(),
            EventType.CONVERSATION_CLOSED.topic(),
            EventType.ANSWER_RATED.topic(),
            EventType.CONVERSATION_RATED.topic());

    private final ConversationQuality conversations;
    private final RatingService ratings;
    private final Retrieval retrieval;
    private final AssistantConfig assistant;
    private final TenantService tenants;
    private final MeterRegistry metrics;

    QualityGrading(
            ConversationQuality conversations,
            RatingService ratings,
            Retrieval retrieval,
            AssistantConfig assistant,
            TenantService tenants,
            MeterRegistry metrics) {
        this.conversations = conversations;
        this.ratings = ratings;
        this.retrieval = retrieval;
        this.assistant = assistant;
        this.tenants = tenants;
        this.metrics = metrics;
    }

    void onSignal(@Observes SharedEvents.Once once) {
        if (!SIGNALS.contains(once.event().type()) || once.event().tenantId() == null) {
            return;
        }
        UUID tenantId = once.event().tenantId();
        UUID conversationId = UUID.fromString(once.event().key());
        String slug = tenants.findById(tenantId).map(tenant -> tenant.slug()).orElse("unknown");
        try (LogContext log = LogContext.of(slug, conversationId)) {
            TenantScope.run(tenantId, () -> grade(slug, conversationId));
        } catch (ProblemException gone) {
            LOG.debugf("Conversation %s is gone before it was graded", conversationId);
        }
    }

    /** Reads the signals, compares the questions (outside any transaction: embedding takes a while), stores the grade. */
    private void grade(String tenant, UUID conversationId) {
        conversations.signals(conversationId).ifPresent(signals -> {
            QualityGrade grade = QualityGrade.of(
                    signals,
                    ratings.scoreOf(conversationId).orElse(null),
                    repeatedQuestions(signals.customerMessages()));
            conversations.grade(conversationId, grade.grade(), grade.reasons());
            metrics.counter("switchboard.conversations.graded", "tenant", tenant, "grade", grade.grade())
                    .increment();
            LOG.debugf("Graded %s: %s", grade.grade(), grade.reasons());
        });
    }

    /**
     * How many of the customer's questions repeat an earlier one in other words (embedding
     * similarity at least {@code switchboard.assistant.rephrase-similarity}, the same threshold
     * that marks an answer unhelpful when it happens right after it).
     */
    private int repeatedQuestions(List<String> messages) {
        List<String> questions = messages.stream()
                .filter(text -> text.strip().split("\\s+").length >= QUESTION_MIN_WORDS)
                .toList();
        questions = questions.subList(Math.max(0, questions.size() - QUESTIONS_COMPARED), questions.size());
        int repeated = 0;
        for (int later = 1; later < questions.size(); later++) {
            for (int earlier = 0; earlier < later; earlier++) {
                if (retrieval.questionSimilarity(questions.get(earlier), questions.get(later))
                        >= assistant.rephraseSimilarity()) {
                    repeated++;
                    break;
                }
            }
        }
        return repeated;
    }
}
