package io.switchboard.insight;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A group's label in its customers' own words: the words and word pairs its questions use far
 * more often than the tenant's questions at large (class-based tf-idf), each spelt as customers
 * wrote it most often, best first.
 */
final class KeyPhrases {

    static final int PHRASES = 3;
    /** The label of a group whose questions share no word (numbers, emoji, a single letter). */
    static final String UNLABELLED = "(no shared words)";

    private static final int MAX_LABEL = 120;

    /** How often each stem and stem pair occurs across a tenant's questions, one count per question. */
    static final class Background {

        private final Map<String, Integer> questionsWith = new HashMap<>();
        private int questions;

        void add(List<Terms.Term> terms) {
            questions++;
            phrasesOf(terms).keySet().forEach(phrase -> questionsWith.merge(phrase, 1, Integer::sum));
        }

        double rarity(String phrase) {
            return Math.log((1.0 + questions) / (1 + questionsWith.getOrDefault(phrase, 0)));
        }
    }

    private KeyPhrases() {}

    static String label(List<List<Terms.Term>> group, Background background) {
        Map<String, Integer> questionsWith = new HashMap<>();
        Map<String, Map<String, Integer>> spellings = new HashMap<>();
        for (List<Terms.Term> question : group) {
            phrasesOf(question).forEach((phrase, written) -> {
                questionsWith.merge(phrase, 1, Integer::sum);
                spellings.computeIfAbsent(phrase, key -> new HashMap<>()).merge(written, 1, Integer::sum);
            });
        }
        // A phrase only one question uses says nothing of the group.
        int least = group.size() < 3 ? 1 : 2;
        List<String> ranked = questionsWith.entrySet().stream()
                .filter(entry -> entry.getValue() >= least)
                .sorted(Comparator.comparingDouble((Map.Entry<String, Integer> entry) -> entry.getValue()
                                * background.rarity(entry.getKey())
                                * (entry.getKey().contains(" ") ? 1.5 : 1))
                        .reversed()
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey)
                .toList();
        List<String> chosen = new ArrayList<>();
        Set<String> covered = new HashSet<>();
        for (String phrase : ranked) {
            if (chosen.size() == PHRASES) {
                break;
            }
            List<String> stems = List.of(phrase.split(" "));
            if (!covered.containsAll(stems)) {
                chosen.add(phrase);
                covered.addAll(stems);
            }
        }
        String label = String.join(
                ", ",
                chosen.stream()
                        .map(phrase -> mostWritten(spellings.get(phrase)))
                        .toList());
        if (label.isEmpty()) {
            return UNLABELLED;
        }
        return label.length() <= MAX_LABEL ? label : label.substring(0, MAX_LABEL);
    }

    /** Each word and each pair of neighbouring words, by stems, with how the question wrote them. */
    private static Map<String, String> phrasesOf(List<Terms.Term> terms) {
        Map<String, String> phrases = new HashMap<>();
        for (int i = 0; i < terms.size(); i++) {
            phrases.putIfAbsent(terms.get(i).stem(), terms.get(i).written());
            if (i + 1 < terms.size()
                    && !terms.get(i).stem().equals(terms.get(i + 1).stem())) {
                phrases.putIfAbsent(
                        terms.get(i).stem() + " " + terms.get(i + 1).stem(),
                        terms.get(i).written() + " " + terms.get(i + 1).written());
            }
        }
        return phrases;
    }

    private static String mostWritten(Map<String, Integer> spellings) {
        return spellings.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue()
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .orElseThrow()
                .getKey();
    }
}
