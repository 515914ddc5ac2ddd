package io.switchboard.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The platform's own texts a customer reads (hand-off notices, the built-in answerer's "not
 * sure" and its framing of a quoted article), in every language {@link LanguageDetection} tells
 * apart ({@code platform/customer-texts.tsv}). What a tenant or an operator wrote themselves
 * stays as written: only the platform's defaults are translated.
 */
public final class CustomerTexts {

    /** The language of a conversation whose language is not known (yet). */
    public static final String FALLBACK_LANGUAGE = "en";

    /** Text by key, then by language. */
    private static final Map<String, Map<String, String>> TEXTS = load();

    /** The platform's English texts, each with its key: how a configured text is recognised as the default. */
    private static final Map<String, String> KEY_OF_ENGLISH = englishKeys();

    /** A text the customer reads, told in the conversation's language (null when not known). */
    @FunctionalInterface
    public interface Localized {

        String in(String language);
    }

    private CustomerTexts() {}

    /**
     * The platform's text {@code key} in {@code language} (English when the language is null or
     * has none), with each {@code {name}} replaced by its value.
     */
    public static String text(String key, String language, String... namesAndValues) {
        Map<String, String> byLanguage = TEXTS.get(key);
        if (byLanguage == null) {
            throw new IllegalArgumentException("No customer text " + key);
        }
        String text = byLanguage.get(language == null ? FALLBACK_LANGUAGE : language);
        if (text == null) {
            text = byLanguage.get(FALLBACK_LANGUAGE);
        }
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            text = text.replace("{" + namesAndValues[i] + "}", namesAndValues[i + 1]);
        }
        return text;
    }

    /**
     * A text the operator may have configured (the {@code SWITCHBOARD_ASSISTANT_*} notices): the
     * platform's English default follows the customer's language, a text of the operator's own
     * stays as they wrote it. Placeholders are left for the caller to fill.
     */
    public static String configured(String configured, String language) {
        String key = KEY_OF_ENGLISH.get(configured);
        return key == null ? configured : text(key, language);
    }

    /** Every text, by key and language. */
    static Map<String, Map<String, String>> all() {
        return TEXTS;
    }

    private static Map<String, Map<String, String>> load() {
        try (InputStream in = CustomerTexts.class.getResourceAsStream("/platform/customer-texts.tsv")) {
            Map<String, Map<String, String>> texts = new HashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t", 3);
                if (columns.length != 3) {
                    throw new IllegalStateException("A customer text needs a key, a language and a text: " + line);
                }
                texts.computeIfAbsent(columns[0], key -> new HashMap<>()).put(columns[1], columns[2].strip());
            }
            texts.replaceAll((key, byLanguage) -> Map.copyOf(byLanguage));
            return Map.copyOf(texts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> englishKeys() {
        Map<String, String> keys = new HashMap<>();
        TEXTS.forEach((key, byLanguage) -> keys.put(byLanguage.get(FALLBACK_LANGUAGE), key));
        return Map.copyOf(keys);
    }
}
