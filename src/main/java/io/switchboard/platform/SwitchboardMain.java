package io.switchboard.platform;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Starts Switchboard. With no database configured it first starts the embedded PostgreSQL
 * (the embedded default), so the README's first command needs nothing installed. The arguments
 * {@code backup [file]} and {@code restore file} run those commands instead (see BackupCommand).
 */
@QuarkusMain
public final class SwitchboardMain {

    private SwitchboardMain() {}

    public static void main(String... args) throws Exception {
        if (args.length > 0 && (args[0].equals("backup") || args[0].equals("restore"))) {
            System.exit(BackupCommand.run(args));
        }
        if (setting("SWITCHBOARD_DB_URL", "quarkus.datasource.jdbc.url").isEmpty()) {
            String synchronousCommit = setting(
                            "SWITCHBOARD_EMBEDDED_SYNCHRONOUS_COMMIT", "switchboard.embedded.synchronous-commit")
                    .orElse("on");
            if (!synchronousCommit.equals("on") && !synchronousCommit.equals("off")) {
                System.err.println(
                        "SWITCHBOARD_EMBEDDED_SYNCHRONOUS_COMMIT must be on or off, not " + synchronousCommit);
                System.exit(2);
            }
            Path directory = dataDirectory().resolve("pg").toAbsolutePath();
            try (EmbeddedDatabase database = EmbeddedDatabase.start(directory, synchronousCommit)) {
                System.setProperty("quarkus.datasource.jdbc.url", database.jdbcUrl());
                System.setProperty("switchboard.embedded.data-directory", directory.toString());
                System.setProperty("quarkus.flyway.username", EmbeddedDatabase.USER);
                Quarkus.run(args);
            }
        } else {
            Quarkus.run(args);
        }
    }

    static Path dataDirectory() {
        return Path.of(setting("SWITCHBOARD_DATA_DIR", "switchboard.data-dir").orElse("data"));
    }

    /** A setting from its system property, else its environment variable; empty when blank. */
    static Optional<String> setting(String environmentVariable, String systemProperty) {
        String value = System.getProperty(systemProperty);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentVariable);
        }
        return Optional.ofNullable(value).filter(present -> !present.isBlank());
    }
}
