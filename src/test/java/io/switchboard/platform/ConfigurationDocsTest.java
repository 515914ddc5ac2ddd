package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The configuration page stays true: every environment variable the application reads is documented there. */
class ConfigurationDocsTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(SWITCHBOARD_[A-Z0-9_]+)");

    @Test
    void everyEnvironmentVariableOfTheApplicationIsDocumented() throws IOException {
        String docs = Files.readString(Path.of("docs/configuration.md"));
        Matcher variables = VARIABLE.matcher(Files.readString(Path.of("src/main/resources/application.properties")));
        Set<String> undocumented = new TreeSet<>();
        int read = 0;
        while (variables.find()) {
            read++;
            if (!docs.contains("`" + variables.group(1) + "`")) {
                undocumented.add(variables.group(1));
            }
        }
        assertThat(read).isGreaterThan(50);
        assertThat(undocumented)
                .as("settings missing from docs/configuration.md")
                .isEmpty();
    }
}
