package io.switchboard.console;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How console pages write numbers. */
@TemplateExtension
final class ConsoleFormats {

    private ConsoleFormats() {}

    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** A moment to the minute, in UTC. */
    static String minute(Instant moment) {
        return MINUTE.format(moment);
    }

    /** A moment to the second, in UTC. */
    static String second(Instant moment) {
        return SECOND.format(moment);
    }

    /** A share as a percentage with one decimal. */
    static String percent(Double share) {
        return share == null ? "–" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /** An average such as a rating out of 5, with one decimal. */
    static String oneDecimal(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.1f", value);
    }

    /** A wait in seconds as people read it: "4.2 s", "3 min 20 s"; a dash when nothing was measured. */
    static String duration(Double seconds) {
        if (seconds == null) {
            return "–";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long whole = Math.round(seconds);
        return whole < 3600
                ? whole / 60 + " min " + whole % 60 + " s"
                : whole / 3600 + " h " + whole % 3600 / 60 + " min";
    }

    /** The median and 90th percentile of a wait, "4.2 s / 9.8 s", dashes when nothing was measured. */
    static String spread(io.switchboard.conversation.Analytics.Seconds seconds) {
        return duration(seconds.median()) + " / " + duration(seconds.p90());
    }

    /** An evaluation's rates, a dash for one that applied to no turn (a template extension is not called on null). */
    static String groundedShare(io.switchboard.evaluation.EvaluationSummary summary) {
        return percent(summary.groundedRate());
    }

    static String rightEscalations(io.switchboard.evaluation.EvaluationSummary summary) {
        return percent(summary.escalationAccuracy());
    }

    static String agreementShare(io.switchboard.evaluation.EvaluationSummary summary) {
        return percent(summary.agreement());
    }

    /** A canary group's 95th percentile answer latency in whole milliseconds; a dash before any answer. */
    static String latencyP95(io.switchboard.conversation.ArmOutcomes.Arm arm) {
        return arm.latencyP95Millis() == null ? "–" : Math.round(arm.latencyP95Millis()) + " ms";
    }

    /** A canary group's mean cost per answer in dollars; a dash before any answer. */
    static String costPerAnswer(io.switchboard.conversation.ArmOutcomes.Arm arm) {
        return arm.costPerAnswerUsd() == null
                ? "–"
                : "$" + arm.costPerAnswerUsd().stripTrailingZeros().toPlainString();
    }

    /** A score such as a similarity or confidence: two decimals. */
    static String twoDecimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** A topic's change against the period before: "↑ 50%", "↓ 25%", "→ 0%"; "new" when it had no conversations then. */
    static String trendArrow(io.switchboard.insight.Insights.Topic topic) {
        if (topic.trend() == null) {
            return "new";
        }
        long percent = Math.round(Math.abs(topic.trend()) * 100);
        return (percent == 0 ? "→ " : topic.trend() > 0 ? "↑ " : "↓ ") + percent + "%";
    }

    /** Why a gap's conversations count as answered badly, in words (docs/insights.md lists the codes). */
    static String gapReason(String code) {
        return switch (code) {
            case "low_confidence" -> "weak match in the help centre";
            case "handed_off" -> "handed to a person";
            case "unhelpful" -> "answer marked unhelpful";
            case "asked_again" -> "asked again in other words";
            default -> code;
        };
    }
}
