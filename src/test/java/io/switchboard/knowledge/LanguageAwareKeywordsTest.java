package io.switchboard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The keyword half of the search reads each article and each question with its own language's
 * stemmer. Every passage here has the same vector, so only the keywords tell them apart.
 */
class LanguageAwareKeywordsTest {

    private static final float[] SAME_VECTOR = {1, 0, 0, 0};

    private final KnowledgeIndex index = new KnowledgeIndex();
    private final UUID tenant = UUID.randomUUID();
    private final UUID germanReturns = UUID.randomUUID();
    private final UUID spanishInvoices = UUID.randomUUID();
    private final UUID englishReturns = UUID.randomUUID();

    @AfterEach
    void close() throws Exception {
        index.close();
    }

    @Test
    void anInflectedQuestionFindsTheArticleInItsOwnLanguage() {
        index.replace(
                tenant,
                List.of(),
                List.of(
                        entry(germanReturns, "de", "Rücksendung", "So funktioniert die Rücksendung eines Artikels."),
                        entry(spanishInvoices, "es", "Facturas", "Cada pedido tiene su factura en tu cuenta."),
                        entry(englishReturns, "en", "Returns", "How to send an item back to us.")));

        // German plural and Spanish plural: neither word appears as written in any article.
        assertThat(keywordMatches("Wie funktionieren Rücksendungen?")).containsOnlyKeys(germanReturns);
        assertThat(keywordMatches("¿Dónde encuentro mis facturas?")).containsOnlyKeys(spanishInvoices);
        assertThat(keywordMatches("returning items")).containsOnlyKeys(englishReturns);
    }

    @Test
    void anotherTenantsLanguagesAreNotSearched() {
        UUID other = UUID.randomUUID();
        index.replace(other, List.of(), List.of(entry(germanReturns, "de", "Rücksendung", "Die Rücksendung.")));
        index.replace(tenant, List.of(), List.of(entry(englishReturns, "en", "Returns", "Send an item back.")));

        assertThat(keywordMatches("Rücksendungen")).isEmpty();
    }

    /** The articles the keywords found for the question, by their keyword match. */
    private Map<UUID, Double> keywordMatches(String question) {
        return index.search(tenant, question, SAME_VECTOR, 10).stream()
                .filter(hit -> hit.keywordMatch() > 0)
                .collect(Collectors.toMap(
                        hit -> UUID.fromString(hit.articleId()), KnowledgeIndex.Hit::keywordMatch, Math::max));
    }

    private static KnowledgeIndex.Entry entry(UUID article, String language, String title, String text) {
        return new KnowledgeIndex.Entry(UUID.randomUUID(), article, title, null, language, "", text, SAME_VECTOR);
    }
}
