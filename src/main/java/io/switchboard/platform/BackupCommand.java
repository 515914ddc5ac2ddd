package io.switchboard.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * {@code backup [file]} and {@code restore file}, the jar's own subcommands (so the container
 * image has them too). The database is the platform's: {@code SWITCHBOARD_DB_URL} when set, else
 * the embedded PostgreSQL under {@code SWITCHBOARD_DATA_DIR}, whether the platform is running on
 * it (the backup then reads from the running server) or not (it is started for the command).
 * A restore goes into an empty database only: an empty data folder, or an empty external database.
 */
final class BackupCommand {

    private BackupCommand() {}

    /** @return the process's exit status */
    static int run(String... args) {
        try {
            if (args[0].equals("backup") && args.length <= 2) {
                Path file = Path.of(
                        args.length == 2
                                ? args[1]
                                : "switchboard-backup-"
                                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                                        + ".zip");
                DatabaseBackup.Summary summary =
                        withDatabase(false, connection -> DatabaseBackup.write(connection, file));
                System.out.printf(
                        "Backed up schema version %s: %d tables, %d rows, to %s%n",
                        summary.schemaVersion(), summary.tables(), summary.rows(), file.toAbsolutePath());
                return 0;
            }
            if (args[0].equals("restore") && args.length == 2) {
                Path file = Path.of(args[1]);
                if (!Files.isRegularFile(file)) {
                    System.err.println("No backup file at " + file.toAbsolutePath());
                    return 2;
                }
                DatabaseBackup.Summary summary = withDatabase(
                        true, connection -> DatabaseBackup.restore(file, connection, migrations(connection)));
                System.out.printf(
                        "Restored schema version %s: %d tables, %d rows; the next start migrates on from there%n",
                        summary.schemaVersion(), summary.tables(), summary.rows());
                return 0;
            }
            System.err.println("usage: backup [file] | restore file");
            return 2;
        } catch (IOException | SQLException | RuntimeException failed) {
            System.err.println((args[0].equals("backup") ? "Backup" : "Restore") + " failed: " + failed.getMessage());
            return 1;
        }
    }

    private interface Work {
        DatabaseBackup.Summary on(Connection connection) throws SQLException, IOException;
    }

    private static DatabaseBackup.Summary withDatabase(boolean restoring, Work work) throws SQLException, IOException {
        Optional<String> external = externalDatabase();
        if (external.isPresent()) {
            try (Connection connection = DriverManager.getConnection(external.get(), ownerUser(), ownerPassword())) {
                return work.on(connection);
            }
        }
        Path directory =
                SwitchboardMain.dataDirectory().resolve("pg").toAbsolutePath().normalize();
        Optional<Integer> running = EmbeddedDatabase.runningServerPort(directory);
        if (restoring && (running.isPresent() || Files.isDirectory(directory) && !isEmpty(directory))) {
            throw new IOException(directory + " already holds a database"
                    + (running.isPresent() ? " and the platform is running on it" : "")
                    + "; stop the platform and move the folder away, or set SWITCHBOARD_DATA_DIR to an empty one");
        }
        if (running.isPresent()) {
            try (Connection connection =
                    DriverManager.getConnection(EmbeddedDatabase.jdbcUrl(running.get()), EmbeddedDatabase.USER, "")) {
                return work.on(connection);
            }
        }
        try (EmbeddedDatabase database = EmbeddedDatabase.start(directory);
                Connection connection = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "")) {
            return work.on(connection);
        }
    }

    /** The platform's migrations, run as the tables' owner, on the database of {@code connection}. */
    private static Flyway migrations(Connection connection) throws SQLException {
        String url = connection.getMetaData().getURL();
        boolean external = externalDatabase().isPresent();
        String user = external ? ownerUser() : EmbeddedDatabase.USER;
        String password = external ? ownerPassword() : "";
        String appRole = SwitchboardMain.setting("SWITCHBOARD_DB_USER", "quarkus.datasource.username")
                .orElse("switchboard_app");
        return Flyway.configure()
                .dataSource(url, user, password)
                .placeholders(Map.of("appRole", appRole))
                .locations("classpath:db/migration")
                .load();
    }

    /** The external PostgreSQL's URL; empty for the embedded one. */
    private static Optional<String> externalDatabase() {
        return SwitchboardMain.setting("SWITCHBOARD_DB_URL", "quarkus.datasource.jdbc.url");
    }

    private static String ownerUser() {
        return SwitchboardMain.setting("SWITCHBOARD_DB_OWNER_USER", "quarkus.flyway.username")
                .orElse("postgres");
    }

    private static String ownerPassword() {
        return SwitchboardMain.setting("SWITCHBOARD_DB_OWNER_PASSWORD", "quarkus.flyway.password")
                .orElse("");
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (var entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }
}
