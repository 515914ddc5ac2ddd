package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default keeps its data across restarts: same directory, same tenants and messages. */
class EmbeddedDatabaseTest {

    @TempDir
    Path dataDirectory;

    @Test
    void keepsDataAcrossARestart() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDirectory)) {
            migrate(database);
            execute(database, "insert into tenant (id, slug, name, model_policy, created_at, updated_at) "
                    + "values (gen_random_uuid(), 'kept', 'Kept', '{}', now(), now())");
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

    private static int migrate(EmbeddedDatabase database) {
        return Flyway.configure().dataSource(database.jdbcUrl(), EmbeddedDatabase.USER, "").placeholders(Map.of("appRole", "switchboard_app"))
                .locations("classpath:db/migration").load().migrate().migrationsExecuted;
    }

    private static void execute(EmbeddedDatabase database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, ""); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
