package io.switchboard.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.switchboard.handoff.EscalationReason;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * How a candidate did on the replayed turns, in support terms. Rates are shares of the turns they
 * apply to (null when none did):
 * <ul>
 * <li>{@code groundedRate}: answers that cite an article of the knowledge base;</li>
 * <li>{@code escalationAccuracy}: turns with a known right outcome where the candidate did the
 *     right thing: went to a person where a person was needed, answered where the bot resolved the
 *     conversation ({@code missedEscalations} and {@code needlessEscalations} are the two ways to fail);</li>
 * <li>{@code agreement}: mean embedding similarity of the candidate's answer to the reply the customer
 *     actually got, and {@code resolvingAgreement} the same for the replies that closed a conversation;</li>
 * <li>{@code judgeScore}: the judge model's mean grade, 1 to 5.</li>
 * </ul>
 * {@code score} (0 to 1) is the mean of the rates present, the judge's grade scaled to 0–1
 * included, times the share of turns without a model failure: what evaluations are ranked by.
 * {@code projectedMonthlyCostUsd} is the candidate's cost per replayed turn times the customer
 * messages of the last 30 days.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationSummary(
        int turns,
        int answered,
        int escalated,
        int decidedByRules,
        int modelFailures,
        Double groundedRate,
        Double escalationAccuracy,
        int missedEscalations,
        int needlessEscalations,
        Double agreement,
        Double resolvingAgreement,
        Double judgeScore,
        Long ttftP50Millis,
        Long latencyP50Millis,
        Long latencyP95Millis,
        long inputTokens,
        long outputTokens,
        BigDecimal costUsd,
        BigDecimal projectedMonthlyCostUsd,
        double score) {

    static EvaluationSummary of(List<EvaluationTurn> turns, long monthlyCustomerMessages) {
        List<EvaluationTurn> modelTurns = turns.stream()
                .filter(turn -> turn.outcome() != EvaluationTurn.Outcome.RULE)
                .toList();
        List<EvaluationTurn> answered = modelTurns.stream()
                .filter(turn -> turn.outcome() == EvaluationTurn.Outcome.ANSWERED)
                .toList();
        List<EvaluationTurn> judged = modelTurns.stream()
                .filter(turn -> turn.expectedEscalation() != null)
                .toList();
        int failures =
                count(modelTurns, turn -> EscalationReason.MODEL_FAILURE.id().equals(turn.escalationReason()));
        int missed =
                count(judged, turn -> turn.expectedEscalation() && turn.outcome() == EvaluationTurn.Outcome.ANSWERED);
        int needless =
                count(judged, turn -> !turn.expectedEscalation() && turn.outcome() == EvaluationTurn.Outcome.ESCALATED);
        Double grounded = share(count(answered, EvaluationTurn::grounded), answered.size());
        Double escalationAccuracy = share(judged.size() - missed - needless, judged.size());
        Double agreement = mean(answered, EvaluationTurn::similarity, turn -> true);
        Double resolvingAgreement = mean(answered, EvaluationTurn::similarity, EvaluationTurn::resolving);
        Double judgeScore = mean(answered, EvaluationTurn::judgeScore, turn -> true);
        BigDecimal cost = modelTurns.stream()
                .map(EvaluationTurn::costUsd)
                .filter(Objects::nonNull)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal projected = modelTurns.isEmpty()
                ? BigDecimal.ZERO
                : cost.multiply(BigDecimal.valueOf(monthlyCustomerMessages))
                        .divide(BigDecimal.valueOf(modelTurns.size()), 6, RoundingMode.HALF_UP);
        List<Double> parts = new ArrayList<>();
        for (Double part :
                new Double[] {grounded, escalationAccuracy, agreement, judgeScore == null ? null : (judgeScore - 1) / 4
                }) {
            if (part != null) {
                parts.add(part);
            }
        }
        double quality =
                parts.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double reliability = modelTurns.isEmpty() ? 1 : 1 - (double) failures / modelTurns.size();
        List<Long> latencies = answered.stream()
                .map(EvaluationTurn::latencyMillis)
                .filter(Objects::nonNull)
                .map(Integer::longValue)
                .sorted()
                .toList();
        List<Long> ttfts = answered.stream()
                .map(EvaluationTurn::ttftMillis)
                .filter(Objects::nonNull)
                .map(Integer::longValue)
                .sorted()
                .toList();
        return new EvaluationSummary(
                turns.size(),
                answered.size(),
                modelTurns.size() - answered.size(),
                turns.size() - modelTurns.size(),
                failures,
                grounded,
                escalationAccuracy,
                missed,
                needless,
                agreement,
                resolvingAgreement,
                judgeScore,
                percentile(ttfts, 0.5),
                percentile(latencies, 0.5),
                percentile(latencies, 0.95),
                modelTurns.stream()
                        .mapToLong(turn -> turn.inputTokens() == null ? 0 : turn.inputTokens())
                        .sum(),
                modelTurns.stream()
                        .mapToLong(turn -> turn.outputTokens() == null ? 0 : turn.outputTokens())
                        .sum(),
                cost,
                projected,
                round(quality * reliability));
    }

    private static int count(List<EvaluationTurn> turns, Predicate<EvaluationTurn> which) {
        return (int) turns.stream().filter(which).count();
    }

    private static Double share(int part, int whole) {
        return whole == 0 ? null : round((double) part / whole);
    }

    private static <T extends Number> Double mean(
            List<EvaluationTurn> turns,
            java.util.function.Function<EvaluationTurn, T> value,
            Predicate<EvaluationTurn> which) {
        ToDoubleFunction<EvaluationTurn> asDouble = turn -> value.apply(turn).doubleValue();
        var values = turns.stream()
                .filter(which)
                .filter(turn -> value.apply(turn) != null)
                .mapToDouble(asDouble)
                .summaryStatistics();
        return values.getCount() == 0 ? null : round(values.getAverage());
    }

    private static Long percentile(List<Long> sorted, double fraction) {
        return sorted.isEmpty()
                ? null
                : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(fraction * sorted.size()) - 1));
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
