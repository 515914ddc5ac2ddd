package io.switchboard.knowledge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.switchboard.model.Grounding;
import io.switchboard.platform.LanguageDetection;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Finding what answers a question in the knowledge base of the tenant in scope: spelling
 * corrected to the tenant's words, keyword and vector search, articles ranked by their best
 * passage and their own similarity; and how alike two texts are in meaning.
 */
@ApplicationScoped
public class Retrieval {

    /** Passages fetched per question before they are grouped by article. */
    private static final int SEARCH_DEPTH = 30;
    /** The keywords only break near-ties: customers rarely use the help centre's words. */
    private static final double KEYWORD_MATCH_WEIGHT = 0.1;
    /**
     * In a language the embedding model does not read, its similarities say less and the keywords,
     * stemmed in that language, more. On the tune split's 96 questions in six other languages, the
     * right article came first for 67 at 0.1, 69 at 0.3, 72 at 0.6 and 72 at 1.0.
     */
    private static final double OTHER_LANGUAGE_KEYWORD_MATCH_WEIGHT = 0.6;
    /**
     * How much lower an article in the question's language may score than the best of all and still
     * come first: about one passage's worth of similarity. Measured from 0.1 to 9 on the tune split,
     * every value gave the same ranking.
     */
    private static final double LANGUAGE_MARGIN = 0.3;

    private final Embedder embedder;
    private final KnowledgeIndex index;
    private final LanguageDetection languages;

    /**
     * Customer questions embedded lately, per tenant. A turn compares the customer's message
     * with their previous one (asked again in other words?) and then searches with it: with these
     * remembered, a turn embeds one text instead of three. Bounded: 2,000 vectors are 3 MB.
     */
    private final Cache<QuestionKey, float[]> recentQuestions = Caffeine.newBuilder()
            .maximumSize(2_000)
            .expireAfterWrite(Duration.ofMinutes(15))
            .build();

    private record QuestionKey(UUID tenantId, String text) {}

    public Retrieval(Embedder embedder, KnowledgeIndex index, LanguageDetection languages) {
        this.embedder = embedder;
        this.index = index;
        this.languages = languages;
    }

    /** How alike two texts are in meaning, from -1 to 1 (cosine of their embeddings). */
    public double similarity(String first, String second) {
        return Embedder.dot(embedder.embed(first), embedder.embed(second));
    }

    /** {@link #similarity} of two customer messages of the tenant in scope, such as a question and the one before it. */
    public double questionSimilarity(String earlier, String later) {
        return Embedder.dot(questionVector(earlier), questionVector(later));
    }

    /** The embedding of a customer message of the tenant in scope, kept a while for the searches and comparisons that read it again. */
    public float[] questionVector(String question) {
        return recentQuestions.get(new QuestionKey(TenantScope.require(), question), key -> embedder.embed(key.text()));
    }

    /**
     * The passages that best answer a question on its own (outside a conversation), in the
     * question's language as far as it tells one.
     */
    public Grounding ground(String question, double minConfidence, int limit) {
        return ground(question, languages.guess(question), minConfidence, limit);
    }

    /**
     * The passages that best answer a customer's question, and whether the best one is close
     * enough to answer from: articles in the customer's language (even an unsure guess) first,
     * and the answer's language named only when it is sure.
     */
    public Grounding ground(String question, LanguageDetection.Guess language, double minConfidence, int limit) {
        UUID tenantId = TenantScope.require();
        String corrected = index.correctSpelling(tenantId, question, embedder::knowsWord);
        float[] questionVector = questionVector(corrected);
        List<KnowledgeIndex.Hit> hits = index.search(tenantId, corrected, questionVector, SEARCH_DEPTH);
        double keywordWeight =
                language.language() == null || language.language().equals(Embedder.LANGUAGE)
                        ? KEYWORD_MATCH_WEIGHT
                        : OTHER_LANGUAGE_KEYWORD_MATCH_WEIGHT;
        // Rank articles, not passages: a question is about a topic, and the article is the topic.
        List<ArticleMatch> ranked = hits.stream()
                .collect(Collectors.groupingBy(
                        KnowledgeIndex.Hit::articleId, java.util.LinkedHashMap::new, Collectors.toList()))
                .values()
                .stream()
                .map(hitsOfArticle -> ArticleMatch.of(hitsOfArticle, keywordWeight))
                .sorted(Comparator.comparingDouble(ArticleMatch::score).reversed())
                .toList();
        ranked = inLanguageFirst(ranked, language.language(), minConfidence).stream()
                .limit(limit)
                .toList();
        List<Grounding.Passage> passages = ranked.stream()
                .map(ArticleMatch::best)
                .map(hit -> new Grounding.Passage(
                        hit.chunkId(),
                        hit.articleId(),
                        hit.title(),
                        hit.url(),
                        hit.heading(),
                        hit.text(),
                        hit.similarity(),
                        hit.language()))
                .toList();
        double confidence = ranked.isEmpty() ? 0 : ranked.get(0).confidence();
        return new Grounding(passages, confidence, confidence >= minConfidence, language.sureLanguage());
    }

    /**
     * The articles in the question's language first, when one of them answers it about as well as
     * the best of any language: a help centre translated in part answers a Spanish question from
     * its Spanish article, and from another language's only when no Spanish one answers it. On the
     * tune split this puts the article in the customer's language first for 360 of 362 questions
     * whose topic has one, against 357 without.
     */
    private static List<ArticleMatch> inLanguageFirst(
            List<ArticleMatch> ranked, String language, double minConfidence) {
        if (language == null || ranked.isEmpty()) {
            return ranked;
        }
        ArticleMatch sameLanguage = ranked.stream()
                .filter(match -> language.equals(match.best().language()))
                .findFirst()
                .orElse(null);
        if (sameLanguage == null
                || sameLanguage.confidence() < minConfidence
                || sameLanguage.score() < ranked.get(0).score() - LANGUAGE_MARGIN) {
            return ranked;
        }
        List<ArticleMatch> preferred = new java.util.ArrayList<>(ranked.stream()
                .filter(match -> language.equals(match.best().language()))
                .toList());
        ranked.stream()
                .filter(match -> !language.equals(match.best().language()))
                .forEach(preferred::add);
        return preferred;
    }

    /**
     * An article's match for a question: its most similar passage plus the article's own
     * similarity (its centroid), with keyword matches breaking near-ties. On the 93 questions of
     * the demo question set this ranks the expected article first 91% of the time, against 83%
     * for the best passage alone (the measurement is in docs/benchmarks-archive.md). Weighting the
     * article's title as well, or embedding passages with their title and heading, ranked the
     * Brightcart tune split better (77% and 79% against 72%) but the demo set worse (82% and 80%):
     * neither holds across help centres (docs/benchmarks.md, answer quality).
     */
    private record ArticleMatch(KnowledgeIndex.Hit best, double keywordMatch, double keywordWeight) {

        static ArticleMatch of(List<KnowledgeIndex.Hit> hits, double keywordWeight) {
            return new ArticleMatch(
                    hits.stream()
                            .max(Comparator.comparingDouble(KnowledgeIndex.Hit::similarity))
                            .orElseThrow(),
                    hits.stream()
                            .mapToDouble(KnowledgeIndex.Hit::keywordMatch)
                            .max()
                            .orElse(0),
                    keywordWeight);
        }

        double score() {
            return best.similarity() + best.articleSimilarity() + keywordWeight * keywordMatch;
        }

        /** Whether the article, and its best passage, are about the question at all: keywords alone never make it confident. */
        double confidence() {
            return (best.similarity() + best.articleSimilarity()) / 2;
        }
    }
}
