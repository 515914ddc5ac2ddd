package io.switchboard.insight;

import io.switchboard.conversation.ConversationQuality;
import io.switchboard.conversation.UtcDays;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The tenant's satisfaction and quality figures, computed by PostgreSQL from the stored ratings and grades. */
@ApplicationScoped
public class InsightAnalytics {

    private static final List<String> GRADES = List.of(QualityGrade.GOOD, QualityGrade.FAIR, QualityGrade.POOR);

    private final RatingRepository ratings;
    private final ConversationQuality conversations;

    public InsightAnalytics(RatingRepository ratings, ConversationQuality conversations) {
        this.ratings = ratings;
        this.conversations = conversations;
    }

    @Transactional
    public Satisfaction report(LocalDate from, LocalDate to) {
        UUID tenant = TenantScope.require();
        Instant start = UtcDays.startOf(from);
        Instant end = UtcDays.endOf(to);

        Object[] totals = ratings.totals(tenant, start, end);
        long responses = ((Number) totals[0]).longValue();
        Double average = totals[1] == null ? null : ((Number) totals[1]).doubleValue();
        long asked = conversations.surveysOffered(from, to);
        // A rating may come in the period after a survey shown just before it: never above all of them.
        Double responseRate = asked == 0 ? null : Math.min(1.0, (double) responses / asked);
        Map<LocalDate, RatingRepository.DayScore> scores = ratings.daily(tenant, start, end);
        List<Satisfaction.Day> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            RatingRepository.DayScore score = scores.get(day);
            days.add(
                    score == null
                            ? new Satisfaction.Day(day, 0, null)
                            : new Satisfaction.Day(day, score.responses(), score.average()));
        }

        Map<String, Long> graded = conversations.grades(from, to);
        long total = graded.values().stream().mapToLong(Long::longValue).sum();
        List<Satisfaction.GradeShare> grades = GRADES.stream()
                .map(grade -> {
                    long count = graded.getOrDefault(grade, 0L);
                    return new Satisfaction.GradeShare(grade, count, total == 0 ? null : (double) count / total);
                })
                .toList();
        return new Satisfaction(new Satisfaction.Csat(average, responses, asked, responseRate, days), grades);
    }
}
