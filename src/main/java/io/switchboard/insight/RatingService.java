package io.switchboard.insight;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.conversation.ContactErasure;
import io.switchboard.conversation.ConversationQuality;
import io.switchboard.conversation.ConversationState;
import io.switchboard.events.EventType;
import io.switchboard.events.Outbox;
import io.switchboard.platform.CustomerTexts;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The customer's rating of a whole conversation ("How did we do?", 1 to 5 and an optional
 * comment). It is taken once, and only after the customer was asked: when a person closed the
 * conversation or the assistant resolved it (an answer marked helpful before any hand-off).
 */
@ApplicationScoped
public class RatingService {

    private static final Logger LOG = Logger.getLogger(RatingService.class);

    /** The survey's words in the customer's language; {@code star} holds a {@code {score}} placeholder. */
    public record SurveyTexts(String question, String comment, String send, String thanks, String star) {

        static SurveyTexts in(String language) {
            return new SurveyTexts(
                    CustomerTexts.text("survey_question", language),
                    CustomerTexts.text("survey_comment", language),
                    CustomerTexts.text("survey_send", language),
                    CustomerTexts.text("survey_thanks", language),
                    CustomerTexts.text("survey_star", language));
        }
    }

    /** What the widget needs to ask: whether to ask now, the rating already given, and the words. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Survey(boolean asked, Integer score, SurveyTexts texts) {}

    /** A rating as stored. */
    public record Rating(UUID conversationId, int score, String comment, Instant createdAt) {}

    private final ConversationQuality conversations;
    private final RatingRepository ratings;
    private final Outbox outbox;
    private final MeterRegistry metrics;

    public RatingService(
            ConversationQuality conversations, RatingRepository ratings, Outbox outbox, MeterRegistry metrics) {
        this.conversations = conversations;
        this.ratings = ratings;
        this.outbox = outbox;
        this.metrics = metrics;
    }

    @Transactional
    public Survey survey(UUID conversationId) {
        ConversationQuality.Survey survey = conversations.survey(conversationId);
        Integer score = ratings.of(TenantScope.require(), conversationId)
                .map(RatingRepository.Stored::score)
                .orElse(null);
        return new Survey(survey.asked(), score, SurveyTexts.in(survey.language()));
    }

    /**
     * Takes the customer's rating: {@code 409 already-rated} for a second one, {@code 409
     * rating-not-asked} while the conversation is open and its customer was not asked yet.
     */
    @Transactional
    public Rating rate(TenantSettings tenant, UUID conversationId, @Valid RatingRequest request) {
        UUID tenantId = TenantScope.require();
        ConversationQuality.Survey survey = conversations.survey(conversationId);
        if (ratings.of(tenantId, conversationId).isPresent()) {
            throw new ProblemException(ProblemType.ALREADY_RATED, "This conversation has already been rated");
        }
        if (!survey.asked()) {
            throw new ProblemException(
                    ProblemType.RATING_NOT_ASKED,
                    survey.state() == ConversationState.BOT
                            ? "The assistant has not resolved this conversation yet: rate it once it is resolved or closed"
                            : "Rate this conversation once it is closed");
        }
        String comment = request.comment() == null || request.comment().isBlank()
                ? null
                : request.comment().strip();
        Instant now = Instant.now();
        ratings.insert(tenantId, conversationId, request.score(), comment, now);
        outbox.record(
                EventType.CONVERSATION_RATED,
                tenantId,
                conversationId.toString(),
                new RatingEvents.Rated(conversationId, request.score(), comment));
        metrics.counter(
                        "switchboard.conversations.rated",
                        "tenant",
                        tenant.slug(),
                        "score",
                        String.valueOf(request.score()))
                .increment();
        LOG.infof("The customer rated the conversation %d of 5", request.score());
        return new Rating(conversationId, request.score(), comment, now);
    }

    /** A rating's score, when the customer gave one. */
    @Transactional
    public java.util.Optional<Integer> scoreOf(UUID conversationId) {
        return ratings.of(TenantScope.require(), conversationId).map(RatingRepository.Stored::score);
    }

    /** Erasing a contact erases what they wrote in their ratings; the scores stay, unlinked. */
    void onErasing(@Observes ContactErasure.Erasing erasing) {
        int erased = ratings.erase(TenantScope.require(), erasing.conversationIds());
        if (erased > 0) {
            LOG.infof("Erased the comments of %d ratings of contact %s", erased, erasing.contactId());
        }
    }
}
