package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.testing.ModelStub;
import io.switchboard.testing.PackagedJar;
import io.switchboard.testing.PackagedReplicas;
import io.switchboard.testing.PostgresResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upgrades: a newer jar starts on a database an older one left (two replicas at once migrate it
 * once, and create the bootstrap key and apply the tenant files once), and an older jar refuses a
 * database a newer one migrated instead of running on it.
 */
class SchemaUpgradeIT {

    private final PostgresResource postgres = new PostgresResource();
    private Map<String, String> database;
    private ModelStub stub;

    @BeforeEach
    void startDatabaseAndModel() throws java.io.IOException {
        database = postgres.start();
        stub = ModelStub.start();
    }

    @AfterEach
    void stop() {
        stub.close();
        postgres.stop();
    }

    @Test
    void twoReplicasStartingTogetherOnAnOlderDatabaseMigrateItOnce() throws Exception {
        migrations().target("20").load().migrate();
        Map<String, String> environment = environment();

        CompletableFuture<PackagedJar> first = CompletableFuture.supplyAsync(() -> start(environment, "upgrade-first"));
        CompletableFuture<PackagedJar> second =
                CompletableFuture.supplyAsync(() -> start(environment, "upgrade-second"));
        List<PackagedJar> replicas = List.of(first.get(3, TimeUnit.MINUTES), second.get(3, TimeUnit.MINUTES));
        try {
            try (Connection connection = connect();
                    Statement statement = connection.createStatement();
                    ResultSet history = statement.executeQuery(
                            "select version, count(*), bool_and(success) from flyway_schema_history"
                                    + " where version is not null group by version order by version::int")) {
                int versions = 0;
                while (history.next()) {
                    versions++;
                    assertThat(history.getInt(2))
                            .as("version %s applied once", history.getString(1))
                            .isEqualTo(1);
                    assertThat(history.getBoolean(3))
                            .as("version %s succeeded", history.getString(1))
                            .isTrue();
                }
                assertThat(versions).isEqualTo(migrations().load().info().all().length);
            }
        } finally {
            for (PackagedJar replica : replicas) {
                replica.process().destroy();
                replica.process().waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anOlderVersionRefusesADatabaseThatANewerVersionMigrated() throws Exception {
        migrations().load().migrate();
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "insert into flyway_schema_history (installed_rank, version, description, type, script, checksum,"
                            + " installed_by, execution_time, success) select max(installed_rank) + 1, '999', 'from a newer version', 'SQL',"
                            + " 'V999__from_a_newer_version.sql', 0, 'postgres', 1, true from flyway_schema_history");
        }
        assertThatThrownBy(() -> start(environment(), "upgrade-older")).hasMessageContaining("did not become ready");
        assertThat(Files.readString(PackagedReplicas.log("upgrade-older")))
                .contains("The database has schema version 999, written by a newer version of Switchboard");
    }

    /** Both replicas also create the bootstrap key and apply a tenant file at start: done once, by whichever comes first. */
    private Map<String, String> environment() throws Exception {
        return PackagedJar.environment(
                database,
                PackagedJar.tenantFiles(Files.createTempDirectory("upgrade-tenants"), "upgraded", "echo"),
                stub.baseUrl(),
                "echo");
    }

    private static PackagedJar start(Map<String, String> environment, String name) {
        try {
            return PackagedJar.start(
                    Path.of(System.getProperty("switchboard.jar", "target/quarkus-app/quarkus-run.jar")),
                    "512m",
                    environment,
                    PackagedReplicas.log(name));
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration migrations() {
        return Flyway.configure()
                .dataSource(database.get("quarkus.datasource.jdbc.url"), database.get("quarkus.flyway.username"), "")
                .placeholders(Map.of("appRole", "switchboard_app"))
                .locations("classpath:db/migration");
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(
                database.get("quarkus.datasource.jdbc.url"), database.get("quarkus.flyway.username"), "");
    }
}
