package io.switchboard.insight;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.conversation.ConversationQuality;
import io.switchboard.conversation.ConversationState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The grade rule on crafted conversations: each row of the table in docs/insights.md. */
class QualityGradeTest {

    private static ConversationQuality.Signals signals(
            ConversationState state, String escalation, int botAnswers, int unhelpful, int agentReplies) {
        return new ConversationQuality.Signals(state, escalation, botAnswers, unhelpful, agentReplies, List.of());
    }

    @Test
    void aConversationTheAssistantResolvedIsGood() {
        QualityGrade grade = QualityGrade.of(signals(ConversationState.BOT, null, 2, 0, 0), null, 0);
        assertThat(grade.grade()).isEqualTo("good");
        assertThat(grade.reasons()).containsExactly("resolved_by_assistant");
    }

    @Test
    void aHandOffAfterAnUnhelpfulAnswerIsPoorWhateverThePersonDidNext() {
        QualityGrade grade = QualityGrade.of(signals(ConversationState.CLOSED, "unhelpful_answers", 2, 2, 1), 4, 0);
        assertThat(grade.grade()).isEqualTo("poor");
        assertThat(grade.reasons())
                .containsExactly("unhelpful_marks:2", "handoff:unhelpful_answers", "csat:4", "answered_by_person");
    }

    @Test
    void aHandOffAfterTheSameQuestionAskedAgainIsPoor() {
        QualityGrade grade =
                QualityGrade.of(signals(ConversationState.PENDING_HUMAN, "low_confidence", 3, 0, 0), null, 1);
        assertThat(grade.grade()).isEqualTo("poor");
        assertThat(grade.reasons()).containsExactly("repeated_questions:1", "handoff:low_confidence");
    }

    @Test
    void aLowRatingIsPoorEvenWhenTheAssistantAnswered() {
        QualityGrade grade = QualityGrade.of(signals(ConversationState.CLOSED, null, 1, 0, 0), 2, 0);
        assertThat(grade.grade()).isEqualTo("poor");
        assertThat(grade.reasons()).containsExactly("csat:2", "resolved_by_assistant");
    }

    @Test
    void theCustomersRatingDecidesAHandOffWithoutStruggle() {
        assertThat(QualityGrade.of(signals(ConversationState.CLOSED, "customer_request", 0, 0, 1), 5, 0)
                        .grade())
                .isEqualTo("good");
        assertThat(QualityGrade.of(signals(ConversationState.CLOSED, "customer_request", 0, 0, 1), 3, 0)
                        .grade())
                .isEqualTo("fair");
        QualityGrade unrated = QualityGrade.of(signals(ConversationState.CLOSED, "customer_request", 0, 0, 1), null, 0);
        assertThat(unrated.grade()).isEqualTo("fair");
        assertThat(unrated.reasons()).containsExactly("handoff:customer_request", "answered_by_person");
    }

    @Test
    void anUnhelpfulAnswerTheAssistantGotOverIsFair() {
        QualityGrade grade = QualityGrade.of(signals(ConversationState.BOT, null, 3, 1, 0), null, 1);
        assertThat(grade.grade()).isEqualTo("fair");
        assertThat(grade.reasons()).containsExactly("unhelpful_marks:1", "repeated_questions:1");
    }

    @Test
    void aConversationNobodyAnsweredIsFair() {
        QualityGrade grade = QualityGrade.of(signals(ConversationState.CLOSED, null, 0, 0, 0), null, 0);
        assertThat(grade.grade()).isEqualTo("fair");
        assertThat(grade.reasons()).containsExactly("unanswered");
    }
}
