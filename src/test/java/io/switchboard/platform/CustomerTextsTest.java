package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every platform text a customer reads exists in every language the platform tells apart, with its placeholders. */
class CustomerTextsTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[a-z]+}");

    @Test
    void everyTextIsWrittenInEveryDetectedLanguageWithTheEnglishPlaceholders() {
        Map<String, Map<String, String>> texts = CustomerTexts.all();
        assertThat(texts).isNotEmpty();
        texts.forEach((key, byLanguage) -> {
            assertThat(byLanguage.keySet()).as(key).isEqualTo(LanguageDetection.LANGUAGES);
            Set<String> placeholders = placeholders(byLanguage.get("en"));
            byLanguage.forEach((language, text) -> {
                assertThat(text).as("%s in %s", key, language).isNotBlank();
                assertThat(placeholders(text)).as("%s in %s", key, language).isEqualTo(placeholders);
                if (!language.equals("en")) {
                    assertThat(text).as("%s in %s", key, language).isNotEqualTo(byLanguage.get("en"));
                }
            });
        });
    }

    @Test
    void aTextIsToldInTheLanguageAskedForOrInEnglish() {
        assertThat(CustomerTexts.text("email_left", "de", "email", "ada@example.com"))
                .isEqualTo("Danke! Wir antworten dir an ada@example.com.");
        assertThat(CustomerTexts.text("closed", null)).isEqualTo("This conversation has been closed.");
        assertThat(CustomerTexts.text("closed", "xx")).isEqualTo("This conversation has been closed.");
    }

    @Test
    void aConfiguredTextIsTranslatedOnlyWhenItIsThePlatformsDefault() {
        String english = CustomerTexts.text("connecting", "en");
        assertThat(CustomerTexts.configured(english, "fr")).isEqualTo(CustomerTexts.text("connecting", "fr"));
        assertThat(CustomerTexts.configured("Un instant, Ada arrive.", "de")).isEqualTo("Un instant, Ada arrive.");
    }

    private static Set<String> placeholders(String text) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        return matcher.results().map(m -> m.group()).collect(Collectors.toSet());
    }
}
