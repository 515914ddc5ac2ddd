package io.switchboard.insight;

import io.switchboard.knowledge.LanguageAnalyzers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * The words of a customer's message as the knowledge search reads them (its language's stop words
 * dropped, the rest stemmed), each with the spelling the customer used, so that groups are
 * compared by stems and labelled in customers' own words.
 */
final class Terms {

    /** A stemmed word and how it was written. */
    record Term(String stem, String written) {}

    private static final Map<String, Analyzer> ANALYZERS = new ConcurrentHashMap<>();

    private Terms() {}

    static List<Term> of(String text, String language) {
        Analyzer analyzer = ANALYZERS.computeIfAbsent(language == null ? "" : language, LanguageAnalyzers::of);
        List<Term> terms = new ArrayList<>();
        try (TokenStream tokens = analyzer.tokenStream("text", text)) {
            CharTermAttribute stem = tokens.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = tokens.addAttribute(OffsetAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                String written =
                        text.substring(offset.startOffset(), offset.endOffset()).toLowerCase();
                if (stem.length() > 1 && !isNumber(written)) {
                    terms.add(new Term(stem.toString(), written));
                }
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return terms;
    }

    /** Order numbers, dates and amounts say nothing about what the customer wants. */
    private static boolean isNumber(String word) {
        return word.chars().anyMatch(Character::isDigit);
    }
}
