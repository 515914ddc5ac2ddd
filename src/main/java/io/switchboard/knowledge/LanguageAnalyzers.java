package io.switchboard.knowledge;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cz.CzechAnalyzer;
import org.apache.lucene.analysis.da.DanishAnalyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.el.GreekAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.fi.FinnishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.hi.HindiAnalyzer;
import org.apache.lucene.analysis.hu.HungarianAnalyzer;
import org.apache.lucene.analysis.id.IndonesianAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.no.NorwegianAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.ro.RomanianAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.sv.SwedishAnalyzer;
import org.apache.lucene.analysis.th.ThaiAnalyzer;
import org.apache.lucene.analysis.tr.TurkishAnalyzer;

/**
 * Lucene's stemmer and stop words for each language the platform detects, so "devoluciones"
 * finds "devolución" and "Rücksendungen" finds "Rücksendung" as "refunds" finds "refund". Chinese,
 * Japanese and Korean are split into overlapping character pairs; a language Lucene has no
 * analyzer for here (Polish, Ukrainian, Hebrew, Vietnamese, and any article of unknown language
 * but English) is split into words without stemming.
 */
public final class LanguageAnalyzers {

    /** Articles and questions whose language is not known are read as English, as before languages were told apart. */
    static final String DEFAULT_LANGUAGE = "en";

    private static final Map<String, Supplier<Analyzer>> BY_LANGUAGE = Map.ofEntries(
            Map.entry("en", EnglishAnalyzer::new),
            Map.entry("es", SpanishAnalyzer::new),
            Map.entry("de", GermanAnalyzer::new),
            Map.entry("fr", FrenchAnalyzer::new),
            Map.entry("pt", PortugueseAnalyzer::new),
            Map.entry("it", ItalianAnalyzer::new),
            Map.entry("nl", DutchAnalyzer::new),
            Map.entry("sv", SwedishAnalyzer::new),
            Map.entry("da", DanishAnalyzer::new),
            Map.entry("no", NorwegianAnalyzer::new),
            Map.entry("fi", FinnishAnalyzer::new),
            Map.entry("cs", CzechAnalyzer::new),
            Map.entry("ro", RomanianAnalyzer::new),
            Map.entry("hu", HungarianAnalyzer::new),
            Map.entry("tr", TurkishAnalyzer::new),
            Map.entry("ru", RussianAnalyzer::new),
            Map.entry("el", GreekAnalyzer::new),
            Map.entry("ar", ArabicAnalyzer::new),
            Map.entry("hi", HindiAnalyzer::new),
            Map.entry("id", IndonesianAnalyzer::new),
            Map.entry("th", ThaiAnalyzer::new),
            Map.entry("ja", CJKAnalyzer::new),
            Map.entry("zh", CJKAnalyzer::new),
            Map.entry("ko", CJKAnalyzer::new));

    private LanguageAnalyzers() {}

    /** The language whose analyzer reads a text of this detected or declared language. */
    static String analyzed(String language) {
        return language == null || language.isBlank() ? DEFAULT_LANGUAGE : language;
    }

    /** A new analyzer for the language; it is safe to share between threads, so one per language is enough. */
    public static Analyzer of(String language) {
        return BY_LANGUAGE
                .getOrDefault(analyzed(language), StandardAnalyzer::new)
                .get();
    }
}
