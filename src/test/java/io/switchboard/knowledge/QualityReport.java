package io.switchboard.knowledge;

import io.switchboard.knowledge.QualityRun.Outcome;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The figures of a {@link QualityRun}: for messages about a topic, how often the reply cited the
 * right article ({@code answered}), how often the search ranked it first or in the top three,
 * how often the first article was in the customer's language when the topic has one in it, and
 * how often the message was wrongly handed to a person as if it asked for one; for messages
 * asking for a person, how often they were handed over as asked; for off-topic messages, how
 * often they were kept from being answered from an article.
 */
public record QualityReport(QualitySet set, List<Outcome> outcomes) {

    /** A share of messages meeting a condition, with the count behind it. */
    public record Rate(int hits, int of) {

        public double value() {
            return of == 0 ? Double.NaN : (double) hits / of;
        }

        @Override
        public String toString() {
            return of == 0 ? "     -    " : String.format("%5.1f%% %3d", 100 * value(), of);
        }
    }

    private List<Outcome> about(Predicate<Outcome> which) {
        return outcomes.stream().filter(which).toList();
    }

    private static Rate rate(List<Outcome> outcomes, Predicate<Outcome> hit) {
        return new Rate((int) outcomes.stream().filter(hit).count(), outcomes.size());
    }

    private List<Outcome> topical() {
        return about(outcome -> outcome.question().aboutATopic());
    }

    public Rate answered() {
        return answered(topical());
    }

    public Rate top1() {
        return top(topical(), 1);
    }

    public Rate top3() {
        return top(topical(), 3);
    }

    public Rate ownLanguage() {
        return ownLanguage(topical());
    }

    public Rate falseEscalation() {
        return rate(topical(), Outcome::escalatedAsAsked);
    }

    public Rate escalationRecall() {
        return escalationRecall(about(outcome -> outcome.question().asksForAPerson()));
    }

    public Rate offTopicKept() {
        return rate(about(outcome -> outcome.question().offTopic()), outcome -> outcome.cited() == null);
    }

    /**
     * Every message the search ranked wrongly, asked for a person wrongly or failed to hand over:
     * what tuning reads, so only ever printed for the tune split.
     */
    public List<String> misses() {
        return outcomes.stream()
                .filter(outcome -> outcome.question().aboutATopic()
                        ? outcome.escalatedAsAsked()
                                || outcome.ranked() != null
                                        && (outcome.ranked().isEmpty()
                                                || outcome.ranked().get(0) == null
                                                || !outcome.ranked()
                                                        .get(0)
                                                        .topic()
                                                        .equals(outcome.question()
                                                                .expected()))
                        : outcome.question().asksForAPerson() != outcome.escalatedAsAsked())
                .map(outcome -> String.format(
                        "%s [%s] expected %s, ranked %s, %s %s",
                        outcome.question().text(),
                        outcome.question().language(),
                        outcome.question().expected(),
                        outcome.ranked(),
                        outcome.state(),
                        outcome.escalationReason() == null ? "" : outcome.escalationReason()))
                .toList();
    }

    /** Each topic's top-1 rate. */
    public Map<String, Rate> top1ByTopic() {
        return grouped(topical(), outcome -> outcome.question().expected(), outcomes -> top(outcomes, 1));
    }

    /** Each language's escalation recall. */
    public Map<String, Rate> escalationRecallByLanguage() {
        return grouped(
                about(outcome -> outcome.question().asksForAPerson()),
                outcome -> outcome.question().language(),
                QualityReport::escalationRecall);
    }

    /** The whole report as a table: one line per language, then one per topic. */
    public String table() {
        StringBuilder table = new StringBuilder(String.format(
                "%-26s %-10s %-10s %-10s %-10s %-10s %-10s%n",
                "", "answered", "top-1", "top-3", "own lang", "false esc", "esc recall"));
        line(table, "all", outcomes);
        grouped(outcomes, outcome -> outcome.question().language(), List::copyOf)
                .forEach((language, outcomes) -> line(table, "language " + language, outcomes));
        grouped(topical(), outcome -> outcome.question().expected(), List::copyOf)
                .forEach((topic, outcomes) -> line(table, topic, outcomes));
        table.append(String.format("off-topic kept from an article: %s%n", offTopicKept()));
        return table.toString();
    }

    private void line(StringBuilder table, String label, List<Outcome> outcomes) {
        List<Outcome> topical = outcomes.stream()
                .filter(outcome -> outcome.question().aboutATopic())
                .toList();
        table.append(String.format(
                "%-26s %s %s %s %s %s %s%n",
                label,
                answered(topical),
                top(topical, 1),
                top(topical, 3),
                ownLanguage(topical),
                rate(topical, Outcome::escalatedAsAsked),
                escalationRecall(outcomes.stream()
                        .filter(outcome -> outcome.question().asksForAPerson())
                        .toList())));
    }

    private static Rate answered(List<Outcome> topical) {
        return rate(
                topical,
                outcome -> !outcome.handedOff()
                        && outcome.cited() != null
                        && outcome.cited().topic().equals(outcome.question().expected()));
    }

    private static Rate top(List<Outcome> topical, int depth) {
        return rate(
                topical.stream().filter(outcome -> outcome.ranked() != null).toList(),
                outcome -> outcome.ranked().stream()
                        .limit(depth)
                        .anyMatch(found -> found != null
                                && found.topic().equals(outcome.question().expected())));
    }

    private Rate ownLanguage(List<Outcome> topical) {
        return rate(
                topical.stream()
                        .filter(outcome ->
                                outcome.ranked() != null && !outcome.ranked().isEmpty())
                        .filter(outcome -> set.languagesOf(outcome.question().expected())
                                .contains(outcome.question().language()))
                        .toList(),
                outcome -> outcome.ranked().get(0) != null
                        && outcome.ranked()
                                .get(0)
                                .language()
                                .equals(outcome.question().language()));
    }

    private static Rate escalationRecall(List<Outcome> askingForAPerson) {
        return rate(askingForAPerson, Outcome::escalatedAsAsked);
    }

    private static <T> Map<String, T> grouped(
            List<Outcome> outcomes, Function<Outcome, String> key, Function<List<Outcome>, T> figure) {
        return outcomes.stream()
                .collect(Collectors.groupingBy(key, TreeMap::new, Collectors.toList()))
                .entrySet()
                .stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey, entry -> figure.apply(entry.getValue()), (a, b) -> a, TreeMap::new));
    }
}
