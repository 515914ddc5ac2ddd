package io.switchboard.knowledge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Splits articles into heading-delimited passages and ranks them for a question with BM25.
 * Small and in-memory on purpose: the embedded default must answer with no model server.
 */
final class PassageRanker {

    record Passage(KnowledgeService.ArticleText article, String heading, String text) {
    }

    record Scored(Passage passage, double score, int matchedTerms, int queryTerms) {
    }

    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "about", "an", "and", "any", "are", "as", "at", "be", "by", "can", "could", "do", "does", "for", "from",
            "get", "has", "have", "how", "i", "if", "in", "is", "it", "its", "me", "my", "of", "on", "or", "our", "please",
            "should", "so", "that", "the", "their", "there", "this", "to", "was", "we", "what", "when", "where", "which",
            "who", "why", "will", "with", "would", "you", "your", "hi", "hello", "thanks", "thank", "want", "need", "im");
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    private PassageRanker() {
    }

    static List<Passage> passages(List<KnowledgeService.ArticleText> articles) {
        List<Passage> passages = new ArrayList<>();
        for (KnowledgeService.ArticleText article : articles) {
            String heading = "";
            StringBuilder text = new StringBuilder();
            for (String line : article.body().split("\n")) {
                if (line.startsWith("#")) {
                    addPassage(passages, article, heading, text);
                    heading = line.replaceFirst("^#+\\s*", "").strip();
                    text.setLength(0);
                } else {
                    text.append(line).append('\n');
                }
            }
            addPassage(passages, article, heading, text);
        }
        return passages;
    }

    private static void addPassage(List<Passage> passages, KnowledgeService.ArticleText article, String heading, StringBuilder text) {
        String body = text.toString().strip();
        if (!body.isEmpty()) {
            passages.add(new Passage(article, heading, body));
        }
    }

    static List<Scored> rank(String question, List<Passage> passages) {
        List<String> query = terms(question).stream().distinct().toList();
        if (query.isEmpty() || passages.isEmpty()) {
            return List.of();
        }
        List<List<String>> documents = passages.stream()
                .map(p -> terms(p.article().title() + " " + p.heading() + " " + p.heading() + " " + p.text()))
                .toList();
        double averageLength = documents.stream().mapToInt(List::size).average().orElse(1);
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (List<String> document : documents) {
            new HashSet<>(document).forEach(term -> documentFrequency.merge(term, 1, Integer::sum));
        }
        List<Scored> scored = new ArrayList<>();
        for (int i = 0; i < passages.size(); i++) {
            Map<String, Integer> frequency = new HashMap<>();
            documents.get(i).forEach(term -> frequency.merge(term, 1, Integer::sum));
            double score = 0;
            int matched = 0;
            for (String term : query) {
                int tf = frequency.getOrDefault(term, 0);
                if (tf == 0) {
                    continue;
                }
                matched++;
                int df = documentFrequency.get(term);
                double idf = Math.log(1 + (passages.size() - df + 0.5) / (df + 0.5));
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * documents.get(i).size() / averageLength));
            }
            if (matched > 0) {
                scored.add(new Scored(passages.get(i), score, matched, query.size()));
            }
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed());
        return scored;
    }

    static List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        for (String word : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (word.length() > 1 && !STOP_WORDS.contains(word)) {
                terms.add(stem(word));
            }
        }
        return terms;
    }

    /** A light suffix stripper: "refunds", "refunded" and "refunding" all match "refund". */
    private static String stem(String word) {
        for (String suffix : List.of("ations", "ation", "ings", "ing", "ies", "ed", "es", "s")) {
            if (word.length() > suffix.length() + 3 && word.endsWith(suffix)) {
                return suffix.equals("ies") ? word.substring(0, word.length() - 3) + "y" : word.substring(0, word.length() - suffix.length());
            }
        }
        return word;
    }
}
