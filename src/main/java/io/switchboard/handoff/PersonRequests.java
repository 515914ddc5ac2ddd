package io.switchboard.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a customer's message asks to be handed to a person, in any of the languages of the
 * exemplar list ({@code handoff/person-requests.tsv}): short phrases such as "talk to a human"
 * or "hablar con un agente". A message asks for a person when the words of one exemplar occur in
 * it in their order, inflected or not, with few other words among them. Stop words are kept:
 * without its "is there", "is there a real person?" would also match "is the host a real person?". Matching needs no language detection: a message is checked against every language's
 * exemplars, since a customer asking for a person often does it in few words, too few to tell
 * the language by, and often in a language the help centre is not written in.
 */
final class PersonRequests {

    /**
     * How many words beyond the exemplar's own may lie between its first and last word in the
     * message: "speak to someone" still matches "can I speak to a real someone, please".
     */
    private static final int SLACK = 4;
    /** Words of this length or more match another inflection of them by a shared start ("agents", "Menschen"). */
    private static final int STEMMED_LENGTH = 5;
    /** Scripts written without spaces between words: compared by pairs of characters, as Lucene's CJK analysis does. */
    private static final Pattern UNSPACED =
            Pattern.compile("[\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsHangul}\\p{IsThai}]+");

    private static final Pattern CHOICE = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    /**
     * Exemplars by the start of their longest word: a message is checked only against those whose
     * longest word it has, a handful, where their first words ("i", "can") would be thousands.
     */
    private static final Map<String, List<List<String>>> EXEMPLARS = load();

    private PersonRequests() {}

    static boolean asksForAPerson(String message) {
        List<String> words = words(message);
        Set<String> starts = new HashSet<>();
        words.forEach(word -> starts.add(start(word)));
        for (String start : starts) {
            for (List<String> exemplar : EXEMPLARS.getOrDefault(start, List.of())) {
                if (occursTogether(exemplar, words)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the exemplar's words occur in the message in their order, with at most {@link #SLACK}
     * other words among them: "my manager asked me to get an invoice" is no "get me a manager".
     */
    private static boolean occursTogether(List<String> exemplar, List<String> words) {
        for (int first = 0; first < words.size(); first++) {
            if (!same(exemplar.get(0), words.get(first))) {
                continue;
            }
            int matched = 1;
            int skipped = 0;
            for (int next = first + 1; next < words.size() && matched < exemplar.size() && skipped <= SLACK; next++) {
                if (same(exemplar.get(matched), words.get(next))) {
                    matched++;
                } else {
                    skipped++;
                }
            }
            if (matched == exemplar.size()) {
                return true;
            }
        }
        return false;
    }

    /** The same word, or for longer words the same stem: they share all but their last two letters. */
    private static boolean same(String exemplarWord, String word) {
        if (exemplarWord.equals(word)) {
            return true;
        }
        if (exemplarWord.length() < STEMMED_LENGTH || word.length() < STEMMED_LENGTH - 1) {
            return false;
        }
        int stem = Math.max(STEMMED_LENGTH - 1, exemplarWord.length() - 2);
        return word.length() >= stem && word.regionMatches(0, exemplarWord, 0, stem);
    }

    private static String longest(List<String> words) {
        return words.stream()
                .max(java.util.Comparator.comparingInt(String::length))
                .orElseThrow();
    }

    /** What words are indexed by: their first four characters, so inflected forms share it. */
    private static String start(String word) {
        return word.length() <= STEMMED_LENGTH - 1 ? word : word.substring(0, STEMMED_LENGTH - 1);
    }

    /**
     * The message's words, lower case and without accents: spaced scripts split into words,
     * unspaced ones into overlapping pairs of characters ("转人工" is "转人", "人工").
     */
    static List<String> words(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT);
        List<String> words = new ArrayList<>();
        Matcher word = WORD.matcher(folded);
        while (word.find()) {
            String found = word.group();
            Matcher unspaced = UNSPACED.matcher(found);
            int from = 0;
            while (unspaced.find()) {
                if (unspaced.start() > from) {
                    words.add(found.substring(from, unspaced.start()));
                }
                String run = unspaced.group();
                if (run.length() == 1) {
                    words.add(run);
                }
                for (int i = 0; i + 1 < run.length(); i++) {
                    words.add(run.substring(i, i + 2));
                }
                from = unspaced.end();
            }
            if (from < found.length()) {
                words.add(found.substring(from));
            }
        }
        return words;
    }

    private static Map<String, List<List<String>>> load() {
        try (InputStream in = PersonRequests.class.getResourceAsStream("/handoff/person-requests.tsv")) {
            Map<String, List<List<String>>> exemplars = new HashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] columns = line.split("\t");
                if (line.isBlank() || line.startsWith("#") || columns.length < 2) {
                    continue;
                }
                for (String phrase : expanded(columns[1])) {
                    if (words(phrase).isEmpty()) {
                        continue;
                    }
                    List<String> exemplar = words(phrase);
                    exemplars
                            .computeIfAbsent(start(longest(exemplar)), key -> new ArrayList<>())
                            .add(exemplar);
                }
            }
            return Map.copyOf(exemplars);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every phrase an exemplar with alternatives stands for: "{talk|speak} to a {human|person}" is four. */
    static List<String> expanded(String phrase) {
        Matcher choice = CHOICE.matcher(phrase);
        if (!choice.find()) {
            return List.of(phrase);
        }
        List<String> phrases = new ArrayList<>();
        for (String option : choice.group(1).split("\\|", -1)) {
            phrases.addAll(expanded(phrase.substring(0, choice.start()) + option + phrase.substring(choice.end())));
        }
        return phrases;
    }
}
