package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default keeps its data across restarts (same directory, same tenants and
 * messages), also when the server of an earlier start was left running, and commits durably.
 */
class EmbeddedDatabaseTest {

    @TempDir
    Path dataDirectory;

    @Test
    void keepsDataAcrossARestart() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDirectory)) {
            migrate(database);
            execute(
                    database,
                    "insert into tenant (id, slug, name, created_at, updated_at) "
                            + "values (gen_random_uuid(), 'kept', 'Kept', now(), now())");
        }

        try (EmbeddedDatabase restarted = EmbeddedDatabase.start(dataDirectory)) {
            assertThat(migrate(restarted)).as("migrations already applied").isZero();
            try (Connection connection = DriverManager.getConnection(restarted.jdbcUrl(), EmbeddedDatabase.USER, "");
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("select name from tenant where slug = 'kept'")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getString(1)).isEqualTo("Kept");
            }
        }
    }

    @Test
    void aServerLeftRunningByAKilledPlatformIsStoppedAtTheNextStart() throws Exception {
        // Started without the platform's watchdog, so only the next start can deal with it.
        long server = killedPlatform("bare");
        assertThat(ProcessHandle.of(server).map(ProcessHandle::isAlive))
                .as("the server outlived its platform")
                .contains(true);

        try (EmbeddedDatabase restarted = EmbeddedDatabase.start(dataDirectory)) {
            assertThat(migrate(restarted))
                    .as("the data of the first start is there")
                    .isZero();
            assertThat(ProcessHandle.of(server).map(ProcessHandle::isAlive))
                    .as("the old server was stopped")
                    .isNotEqualTo(Optional.of(true));
        }
    }

    @Test
    void theServerDoesNotOutliveAKilledPlatform() throws Exception {
        long server = killedPlatform("platform");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ProcessHandle.of(server)
                        .map(process -> !process.isAlive())
                        .orElse(true));
        try (EmbeddedDatabase restarted = EmbeddedDatabase.start(dataDirectory)) {
            assertThat(migrate(restarted)).isZero();
        }
    }

    /**
     * Starts a platform in a JVM of its own that starts the database on this test's directory
     * and migrates it, kills that JVM as the kernel's out-of-memory killer would, and returns the
     * database server's process id.
     */
    private long killedPlatform(String how) throws Exception {
        Process platform = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        KilledPlatform.class.getName(),
                        how,
                        dataDirectory.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader output =
                new BufferedReader(new InputStreamReader(platform.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null && !line.equals(KilledPlatform.READY)) {
                // the database's own start-up output
            }
            assertThat(line).as("the platform started its database").isEqualTo(KilledPlatform.READY);
            platform.destroyForcibly();
            assertThat(platform.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        return Long.parseLong(Files.readAllLines(dataDirectory.toAbsolutePath().resolve("postmaster.pid"))
                .get(0)
                .strip());
    }

    /** A platform that starts its database, with ("platform") or without ("bare") the watchdog, then waits to be killed. */
    public static final class KilledPlatform {

        static final String READY = "database ready";

        public static void main(String... args) throws Exception {
            Path directory = Path.of(args[1]);
            if (args[0].equals("bare")) {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setDataDirectory(directory.toAbsolutePath())
                        .setCleanDataDirectory(false)
                        .start();
                Flyway.configure()
                        .dataSource(
                                postgres.getJdbcUrl(EmbeddedDatabase.USER, EmbeddedDatabase.DATABASE),
                                EmbeddedDatabase.USER,
                                "")
                        .placeholders(Map.of("appRole", "switchboard_app"))
                        .locations("classpath:db/migration")
                        .load()
                        .migrate();
            } else {
                migrate(EmbeddedDatabase.start(directory));
            }
            System.out.println(READY);
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void commitsAreSynchronousUnlessRelaxed() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDirectory)) {
            assertThat(setting(database, "synchronous_commit")).isEqualTo("on");
        }
        try (EmbeddedDatabase relaxed = EmbeddedDatabase.start(dataDirectory, "off")) {
            assertThat(setting(relaxed, "synchronous_commit")).isEqualTo("off");
        }
    }

    private static String setting(EmbeddedDatabase database, String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("show " + name)) {
            result.next();
            return result.getString(1);
        }
    }

    private static int migrate(EmbeddedDatabase database) {
        return Flyway.configure()
                .dataSource(database.jdbcUrl(), EmbeddedDatabase.USER, "")
                .placeholders(Map.of("appRole", "switchboard_app"))
                .locations("classpath:db/migration")
                .load()
                .migrate()
                .migrationsExecuted;
    }

    private static void execute(EmbeddedDatabase database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
