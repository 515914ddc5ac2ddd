package io.switchboard.knowledge;

import java.io.IOException;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestWord;

/**
 * Corrects a question's misspelt words to the words of the tenant's own articles, read from the
 * searcher {@link KnowledgeIndex} hands it: a typo costs the keyword search its match and moves
 * the question's embedding away from the passage that answers it.
 */
final class SpellingCorrector {

    /** Shorter words are too easily "corrected" into another real word. */
    private static final int MIN_CORRECTED_LENGTH = 5;
    /** Longer "words" are no typos but pasted codes or junk, and each lookup costs with its length. */
    private static final int MAX_CORRECTED_LENGTH = 30;
    /** Words looked up per question: the keyword search reads no more terms than this either. */
    private static final int MAX_CORRECTED_WORDS = 64;

    private static final Pattern QUESTION_WORD = Pattern.compile("[\\p{L}']+");

    private final DirectSpellChecker spelling = new DirectSpellChecker();

    SpellingCorrector() {
        spelling.setMaxEdits(1);
        spelling.setMinQueryLength(MIN_CORRECTED_LENGTH);
    }

    /** See {@link KnowledgeIndex#correctSpelling}. */
    String correct(IndexSearcher searcher, UUID tenantId, String question, Predicate<String> knownWord)
            throws IOException {
        Matcher words = QUESTION_WORD.matcher(question);
        StringBuilder corrected = new StringBuilder();
        int lookups = 0;
        while (words.find()) {
            String word = words.group();
            boolean lookUp = lookups < MAX_CORRECTED_WORDS
                    && word.length() <= MAX_CORRECTED_LENGTH
                    && !knownWord.test(word.toLowerCase(Locale.ROOT));
            lookups += lookUp ? 1 : 0;
            String replacement = lookUp ? correction(searcher, tenantId, word) : word;
            words.appendReplacement(corrected, Matcher.quoteReplacement(replacement));
        }
        return words.appendTail(corrected).toString();
    }

    private String correction(IndexSearcher searcher, UUID tenantId, String word) throws IOException {
        String lowerCase = word.toLowerCase(Locale.ROOT);
        if (lowerCase.length() < MIN_CORRECTED_LENGTH
                || searcher.getIndexReader().docFreq(PassageDocuments.word(lowerCase)) > 0) {
            return word;
        }
        // Suggestions come from every tenant's words; only one this tenant uses may replace the word.
        for (SuggestWord suggestion :
                spelling.suggestSimilar(PassageDocuments.word(lowerCase), 5, searcher.getIndexReader())) {
            if (searcher.count(PassageDocuments.wordInTenant(tenantId, suggestion.string)) > 0) {
                return suggestion.string;
            }
        }
        return word;
    }
}
