package io.switchboard.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.WithDefault;
import io.switchboard.handoff.HandoffConfig;
import io.switchboard.platform.CustomerTexts;
import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator's notice settings default to the platform's English texts, so a tenant that never
 * changed them answers each customer in their language.
 */
class DefaultNoticesTest {

    @Test
    void everyDefaultNoticeIsAPlatformTextTranslatedForTheCustomer() {
        Stream.concat(Stream.of(AssistantConfig.class.getMethods()), Stream.of(HandoffConfig.class.getMethods()))
                .filter(method -> method.getReturnType() == String.class)
                .map(DefaultNoticesTest::defaultOf)
                .forEach(english -> assertThat(CustomerTexts.configured(english, "es"))
                        .as(english)
                        .isNotEqualTo(english));
    }

    private static String defaultOf(Method setting) {
        return setting.getAnnotation(WithDefault.class).value();
    }
}
