package io.switchboard.platform;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;

/**
 * Starts Switchboard. With no database configured it first starts the embedded PostgreSQL
 * (the embedded default), so the README's first command needs nothing installed.
 */
@QuarkusMain
public final class SwitchboardMain {

    private SwitchboardMain() {
    }

    public static void main(String... args) throws Exception {
        if (isBlank(setting("SWITCHBOARD_DB_URL", "quarkus.datasource.jdbc.url"))) {
            Path dataDir = Path.of(orDefault(setting("SWITCHBOARD_DATA_DIR", "switchboard.data-dir"), "data"));
            String synchronousCommit = orDefault(setting("SWITCHBOARD_EMBEDDED_SYNCHRONOUS_COMMIT", "switchboard.embedded.synchronous-commit"), "on");
            if (!synchronousCommit.equals("on") && !synchronousCommit.equals("off")) {
                System.err.println("SWITCHBOARD_EMBEDDED_SYNCHRONOUS_COMMIT must be on or off, not " + synchronousCommit);
                System.exit(2);
            }
            try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir.resolve("pg"), synchronousCommit)) {
                System.setProperty("quarkus.datasource.jdbc.url", database.jdbcUrl());
                System.setProperty("quarkus.flyway.username", EmbeddedDatabase.USER);
                Quarkus.run(args);
            }
        } else {
            Quarkus.run(args);
        }
    }

    private static String setting(String environmentVariable, String systemProperty) {
        String value = System.getProperty(systemProperty);
        return isBlank(value) ? System.getenv(environmentVariable) : value;
    }

    private static String orDefault(String value, String fallback) {
        return isBlank(value) ? fallback : value;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
