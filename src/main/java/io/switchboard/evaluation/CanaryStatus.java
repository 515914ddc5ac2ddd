package io.switchboard.evaluation;

import io.switchboard.conversation.ArmOutcomes;
import io.switchboard.model.ModelPolicy;
import java.time.Instant;
import java.util.List;

/**
 * A running canary next to its primary since it started: each group's outcomes, the limits it
 * breaks, and whether it has answered enough to be judged yet.
 */
public record CanaryStatus(
        ModelPolicy.Canary canary,
        Instant since,
        ArmOutcomes.Arm primary,
        ArmOutcomes.Arm canaryArm,
        boolean judged,
        List<String> breaches) {

    /** The limits of {@code rollbackWhen} the canary breaks, once it has given enough answers to tell. */
    static CanaryStatus of(ModelPolicy.Canary canary, Instant since, ArmOutcomes.Comparison outcomes) {
        ModelPolicy.RollbackWhen limits = canary.rollbackWhen();
        ArmOutcomes.Arm primary = outcomes.primary();
        ArmOutcomes.Arm candidate = outcomes.canary();
        boolean judged = candidate.answers() + candidate.failedTurns() >= limits.minAnswers();
        List<String> breaches = new java.util.ArrayList<>();
        if (judged) {
            if (candidate.errorRate() > limits.errorRate()) {
                breaches.add(String.format("error rate %.2f above %.2f", candidate.errorRate(), limits.errorRate()));
            }
            if (candidate.escalationRate() - primary.escalationRate() > limits.escalationRateIncrease()) {
                breaches.add(String.format(
                        "escalation rate %.2f against %.2f for the primary",
                        candidate.escalationRate(), primary.escalationRate()));
            }
            if (candidate.unhelpfulRate() - primary.unhelpfulRate() > limits.unhelpfulRateIncrease()) {
                breaches.add(String.format(
                        "unhelpful marks on %.2f of answers against %.2f for the primary",
                        candidate.unhelpfulRate(), primary.unhelpfulRate()));
            }
            if (ratio(candidate.latencyP95Millis(), primary.latencyP95Millis()) > limits.latencyP95Ratio()) {
                breaches.add(String.format(
                        "95th percentile latency %.0f ms against %.0f ms for the primary",
                        candidate.latencyP95Millis(), primary.latencyP95Millis()));
            }
            if (limits.costPerAnswerRatio() != null
                    && candidate.costPerAnswerUsd() != null
                    && primary.costPerAnswerUsd() != null
                    && ratio(
                                    candidate.costPerAnswerUsd().doubleValue(),
                                    primary.costPerAnswerUsd().doubleValue())
                            > limits.costPerAnswerRatio()) {
                breaches.add("cost per answer " + candidate.costPerAnswerUsd() + " USD against "
                        + primary.costPerAnswerUsd() + " USD for the primary");
            }
        }
        return new CanaryStatus(canary, since, primary, candidate, judged, List.copyOf(breaches));
    }

    /** How many times the primary's figure the canary's is; 0 when either is unknown or the primary's is zero. */
    private static double ratio(Double canary, Double primary) {
        return canary == null || primary == null || primary <= 0 ? 0 : canary / primary;
    }
}
