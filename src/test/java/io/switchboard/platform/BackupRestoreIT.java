package io.switchboard.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.switchboard.testing.ModelStub;
import io.switchboard.testing.PackagedJar;
import io.switchboard.testing.PackagedReplicas;
import io.switchboard.testing.PostgresResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default's data backed up while it runs, restored into a wiped data folder and
 * into an external PostgreSQL (the move to a production database): either way the platform
 * starts on it and a customer reads their old conversation.
 */
class BackupRestoreIT {

    private static final String TENANT = "kept";
    private static final Path JAR =
            Path.of(System.getProperty("switchboard.jar", "target/quarkus-app/quarkus-run.jar"));

    @TempDir
    Path home;

    @Test
    void aBackupTakenWhileRunningRestoresIntoAWipedDataFolderAndIntoAnExternalPostgresql() throws Exception {
        try (ModelStub stub = ModelStub.start()) {
            Path tenants = PackagedJar.tenantFiles(home.resolve("tenants"), TENANT, "echo");
            Map<String, String> embedded =
                    PackagedJar.embeddedEnvironment(home.resolve("data"), tenants, stub.baseUrl(), "echo");
            Path backup = home.resolve("switchboard.zip");

            PackagedJar original = PackagedJar.start(JAR, "512m", embedded, PackagedReplicas.log("backup-original"));
            JsonPath conversation;
            try {
                conversation = given().baseUri(original.uri().toString())
                        .contentType(ContentType.JSON)
                        .body("{}")
                        .post("/api/v1/widget/{tenant}/conversations", TENANT)
                        .then()
                        .statusCode(201)
                        .extract()
                        .jsonPath();
                given().baseUri(original.uri().toString())
                        .contentType(ContentType.JSON)
                        .header("Authorization", "Bearer " + conversation.getString("token"))
                        .body(Map.of("text", "where is my refund?"))
                        .post(
                                "/api/v1/widget/{tenant}/conversations/{id}/messages",
                                TENANT,
                                conversation.getString("conversationId"))
                        .then()
                        .statusCode(200);

                PackagedJar.Command backedUp = PackagedJar.run(JAR, embedded, "backup", backup.toString());
                assertThat(backedUp.exitStatus()).as(backedUp.output()).isZero();
                assertThat(backedUp.output()).contains("Backed up schema version");
            } finally {
                stop(original);
            }
            List<String> before = List.of("customer:where is my refund?", "bot:You said: where is my refund?");

            PackagedJar.Command intoUsedFolder = PackagedJar.run(JAR, embedded, "restore", backup.toString());
            assertThat(intoUsedFolder.exitStatus())
                    .as("a restore never overwrites a database")
                    .isNotZero();
            assertThat(intoUsedFolder.output()).contains("already holds a database");

            wipe(home.resolve("data"));
            PackagedJar.Command restored = PackagedJar.run(JAR, embedded, "restore", backup.toString());
            assertThat(restored.exitStatus()).as(restored.output()).isZero();
            PackagedJar onRestored = PackagedJar.start(JAR, "512m", embedded, PackagedReplicas.log("backup-restored"));
            try {
                assertThat(transcript(onRestored, conversation)).containsExactlyElementsOf(before);
            } finally {
                stop(onRestored);
            }

            PostgresResource postgres = new PostgresResource();
            try {
                Map<String, String> external =
                        PackagedJar.environment(postgres.start(), tenants, stub.baseUrl(), "echo");
                PackagedJar.Command moved = PackagedJar.run(JAR, external, "restore", backup.toString());
                assertThat(moved.exitStatus()).as(moved.output()).isZero();
                PackagedJar onExternal =
                        PackagedJar.start(JAR, "512m", external, PackagedReplicas.log("backup-external"));
                try {
                    assertThat(transcript(onExternal, conversation)).containsExactlyElementsOf(before);
                    given().baseUri(onExternal.uri().toString())
                            .contentType(ContentType.JSON)
                            .header("Authorization", "Bearer " + conversation.getString("token"))
                            .body(Map.of("text", "thanks"))
                            .post(
                                    "/api/v1/widget/{tenant}/conversations/{id}/messages",
                                    TENANT,
                                    conversation.getString("conversationId"))
                            .then()
                            .statusCode(200)
                            .body("reply.text", org.hamcrest.Matchers.equalTo("You said: thanks"));
                } finally {
                    stop(onExternal);
                }
            } finally {
                postgres.stop();
            }
        }
    }

    private static List<String> transcript(PackagedJar platform, JsonPath conversation) {
        JsonPath stored = given().baseUri(platform.uri().toString())
                .header("Authorization", "Bearer " + conversation.getString("token"))
                .get("/api/v1/widget/{tenant}/conversations/{id}", TENANT, conversation.getString("conversationId"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> roles = stored.getList("messages.role");
        List<String> texts = stored.getList("messages.text");
        return java.util.stream.IntStream.range(0, roles.size())
                .mapToObj(i -> roles.get(i) + ":" + texts.get(i))
                .toList();
    }

    private static void stop(PackagedJar platform) throws InterruptedException {
        platform.process().destroy();
        assertThat(platform.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    private static void wipe(Path directory) throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
