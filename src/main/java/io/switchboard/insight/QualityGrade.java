package io.switchboard.insight;

import io.switchboard.conversation.ConversationQuality;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The quality grade of one conversation from the signals the platform has, decided by the first
 * rule that matches (docs/insights.md has the table):
 * <ol>
 *   <li>the customer rated it 1 or 2: poor;</li>
 *   <li>it went to a person after an answer was marked unhelpful or a question was asked again: poor;</li>
 *   <li>the customer rated it 4 or 5: good;</li>
 *   <li>the customer rated it 3: fair;</li>
 *   <li>it went to a person for any other reason: fair;</li>
 *   <li>an answer was marked unhelpful or a question asked again, and the assistant kept it: fair;</li>
 *   <li>the assistant answered and it never went to a person: good;</li>
 *   <li>nobody answered: fair.</li>
 * </ol>
 * The reasons name every signal seen, the deciding one first.
 */
public record QualityGrade(String grade, List<String> reasons) {

    public static final String GOOD = "good";
    public static final String FAIR = "fair";
    public static final String POOR = "poor";

    public static QualityGrade of(ConversationQuality.Signals signals, Integer csat, int repeatedQuestions) {
        boolean handedOff = signals.escalationReason() != null;
        String rated = csat == null ? null : "csat:" + csat;
        String handoff = handedOff ? "handoff:" + signals.escalationReason().toLowerCase(Locale.ROOT) : null;
        String unhelpful = signals.unhelpfulMarks() > 0 ? "unhelpful_marks:" + signals.unhelpfulMarks() : null;
        String repeated = repeatedQuestions > 0 ? "repeated_questions:" + repeatedQuestions : null;
        String struggled = unhelpful != null ? unhelpful : repeated;
        String resolved = !handedOff && signals.botAnswers() > 0 ? "resolved_by_assistant" : null;
        String person = signals.agentReplies() > 0 ? "answered_by_person" : null;

        if (csat != null && csat <= 2) {
            return graded(POOR, rated, handoff, unhelpful, repeated, resolved, person);
        }
        if (handedOff && struggled != null) {
            return graded(POOR, struggled, handoff, unhelpful, repeated, rated, person);
        }
        if (csat != null) {
            return graded(csat >= 4 ? GOOD : FAIR, rated, handoff, unhelpful, repeated, resolved, person);
        }
        if (handedOff) {
            return graded(FAIR, handoff, person);
        }
        if (struggled != null) {
            return graded(FAIR, struggled, unhelpful, repeated);
        }
        if (resolved != null) {
            return graded(GOOD, resolved);
        }
        return graded(FAIR, "unanswered", person);
    }

    /** The grade with its deciding reason first, then the other signals seen, each once. */
    private static QualityGrade graded(String grade, String deciding, String... others) {
        List<String> reasons = new ArrayList<>();
        reasons.add(deciding);
        for (String other : others) {
            if (other != null && !reasons.contains(other)) {
                reasons.add(other);
            }
        }
        return new QualityGrade(grade, List.copyOf(reasons));
    }
}
