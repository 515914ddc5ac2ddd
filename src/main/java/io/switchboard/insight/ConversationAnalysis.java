package io.switchboard.insight;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.assistant.AssistantConfig;
import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.Transcript;
import io.switchboard.conversation.TranscriptMessage;
import io.switchboard.conversation.Transcripts;
import io.switchboard.handoff.EscalationReason;
import io.switchboard.knowledge.Retrieval;
import io.switchboard.model.Grounding;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What one conversation was about and how well the help centre answered it: the customer's
 * question (their first message that asks something), the article the knowledge search answers it
 * from when it is confident, and the reasons it was answered badly. Embedding and searching run
 * outside any transaction; only the result is written in one.
 */
@ApplicationScoped
class ConversationAnalysis {

    /** Why a conversation counts towards a knowledge gap. */
    enum Reason {
        LOW_CONFIDENCE,
        HANDED_OFF,
        UNHELPFUL,
        ASKED_AGAIN;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Words a message needs to be taken for the question rather than a greeting ("hi", "hello there"). */
    private static final int QUESTION_WORDS = 3;
    /** Later messages compared with the question when looking for it asked again. */
    private static final int FOLLOW_UPS = 3;

    private final Transcripts transcripts;
    private final TenantService tenants;
    private final Retrieval retrieval;
    private final InsightRepository repository;
    private final InsightsConfig config;
    private final AssistantConfig assistant;

    ConversationAnalysis(
            Transcripts transcripts,
            TenantService tenants,
            Retrieval retrieval,
            InsightRepository repository,
            InsightsConfig config,
            AssistantConfig assistant) {
        this.transcripts = transcripts;
        this.tenants = tenants;
        this.retrieval = retrieval;
        this.repository = repository;
        this.config = config;
        this.assistant = assistant;
    }

    /**
     * Analyses a conversation of the tenant in scope; returns whether its groups must be rebuilt:
     * it is one the help centre answered weakly, or the first of its article's topic.
     */
    boolean analyse(UUID tenantId, UUID conversationId) {
        Optional<Transcript> found = transcripts.transcript(conversationId);
        Optional<TenantSettings> tenant = tenants.findRemembered(tenantId);
        if (found.isEmpty() || tenant.isEmpty()) {
            return false;
        }
        List<TranscriptMessage> asked = found.get().messages().stream()
                .filter(message -> message.role() == MessageRole.CUSTOMER)
                .toList();
        if (asked.isEmpty()) {
            return false;
        }
        int index = 0;
        while (index < asked.size() - 1 && words(asked.get(index).text()) < QUESTION_WORDS) {
            index++;
        }
        TranscriptMessage question = asked.get(index);
        Grounding grounding = retrieval.ground(question.text(), tenant.get().minAnswerConfidence(), 1);
        String escalation = found.get().conversation().escalationReason();
        // "Get me a person" is a topic of its own, not a question about the article it happens to
        // match; and it says nothing the help centre lacks. On the tune split of the Brightcart set,
        // grouping these with other unanchored questions rather than by their nearest article
        // raised the topics' weighted purity from 0.64 to 0.75 (docs/insights.md).
        boolean askedForAPerson = EscalationReason.CUSTOMER_REQUEST.id().equals(escalation)
                || EscalationReason.KEYWORD.id().equals(escalation);
        UUID article = !askedForAPerson
                        && grounding.sufficient()
                        && !grounding.passages().isEmpty()
                ? UUID.fromString(grounding.passages().get(0).articleId())
                : null;
        List<String> reasons = new ArrayList<>();
        if (!askedForAPerson
                && grounding.confidence()
                        < Math.max(config.weakAnswerConfidence(), tenant.get().minAnswerConfidence())) {
            reasons.add(Reason.LOW_CONFIDENCE.id());
        }
        if (EscalationReason.botCouldNotAnswer(escalation)) {
            reasons.add(Reason.HANDED_OFF.id());
        }
        if (found.get().messages().stream().anyMatch(message -> "unhelpful".equals(message.feedback()))) {
            reasons.add(Reason.UNHELPFUL.id());
        }
        if (askedAgain(question, asked.subList(index + 1, Math.min(asked.size(), index + 1 + FOLLOW_UPS)))) {
            reasons.add(Reason.ASKED_AGAIN.id());
        }
        float[] vector = retrieval.questionVector(question.text());
        boolean newTopic = QuarkusTransaction.requiringNew().call(() -> {
            InsightRepository.ArticleTopic topic = article == null ? null : repository.articleTopic(tenantId, article);
            repository.save(
                    tenantId,
                    conversationId,
                    question.id(),
                    vector,
                    article,
                    grounding.confidence(),
                    String.join(",", reasons),
                    topic == null ? null : topic.id());
            return topic != null && topic.made();
        });
        return newTopic || !reasons.isEmpty() || article == null;
    }

    private boolean askedAgain(TranscriptMessage question, List<TranscriptMessage> later) {
        return later.stream()
                .anyMatch(message -> words(message.text()) >= QUESTION_WORDS
                        && retrieval.questionSimilarity(question.text(), message.text())
                                >= assistant.rephraseSimilarity());
    }

    private static int words(String text) {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }
}
