package io.switchboard.insight;

import java.time.LocalDate;
import java.util.List;

/**
 * Satisfaction and quality over a period (UTC days, both included): the customers' ratings
 * ({@code csat}: their average from 1 to 5, how many, and the share of customers asked who
 * answered) with their average per day, and the conversations started in the period by quality
 * grade (shares of the graded ones). Averages and shares are null when there is nothing to count.
 */
public record Satisfaction(Csat csat, List<GradeShare> grades) {

    public record Csat(Double average, long responses, long asked, Double responseRate, List<Day> days) {}

    /** One UTC day's ratings and their average (null without any). */
    public record Day(LocalDate day, long responses, Double average) {}

    public record GradeShare(String grade, long conversations, Double share) {}
}
