package io.switchboard.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.switchboard.platform.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Real PostgreSQL for the tests: a fresh database on the local server (127.0.0.1:5432) when it is
 * reachable, otherwise an embedded PostgreSQL. The application's own migrations run on either.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String USER = System.getProperty("test.db.user", "postgres");

    private String database;
    private EmbeddedDatabase embedded;

    @Override
    public Map<String, String> start() {
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "")) {
            database = "switchboard_test_" + System.currentTimeMillis() + "_"
                    + ThreadLocalRandom.current().nextInt(1000);
            try (Statement statement = admin.createStatement()) {
                statement.execute("create database " + database);
            }
            return Map.of("quarkus.datasource.jdbc.url", SERVER + database, "quarkus.flyway.username", USER);
        } catch (SQLException unreachable) {
            return startEmbedded();
        }
    }

    private Map<String, String> startEmbedded() {
        try {
            embedded = EmbeddedDatabase.start(Files.createTempDirectory("switchboard-test-pg"));
            return Map.of(
                    "quarkus.datasource.jdbc.url",
                    embedded.jdbcUrl(),
                    "quarkus.flyway.username",
                    EmbeddedDatabase.USER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (database != null) {
            try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "");
                    Statement statement = admin.createStatement()) {
                statement.execute("drop database if exists " + database + " with (force)");
            } catch (SQLException e) {
                throw new IllegalStateException("Could not drop test database " + database, e);
            }
        }
    }
}
