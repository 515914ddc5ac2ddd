package io.switchboard.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.switchboard.testing.ModelStub;
import io.switchboard.testing.PackagedJar;
import io.switchboard.testing.PackagedReplicas;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded default on a small volume of its own (a size-limited tmpfs the test mounts) that
 * fills up: new customer messages get a clear 503, what was stored stays, and once space returns
 * messages are taken again without a restart.
 */
class FullDiskIT {

    private static final String TENANT = "cramped";
    private static final long MEGABYTE = 1024 * 1024;

    private Path volume;

    @BeforeEach
    void mountASmallVolume() throws Exception {
        volume = Files.createTempDirectory("switchboard-small-volume");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512m", "tmpfs", volume.toString())
                .inheritIO()
                .start();
        assertThat(mount.waitFor())
                .as("mounting a tmpfs needs root, as the container image test does")
                .isZero();
    }

    @AfterEach
    void unmount() throws Exception {
        new ProcessBuilder("umount", "--lazy", volume.toString())
                .inheritIO()
                .start()
                .waitFor();
    }

    @Test
    void aFullVolumeRefusesNewMessagesWithA503AndTakesThemAgainWhenSpaceReturns() throws Exception {
        try (ModelStub stub = ModelStub.start()) {
            Map<String, String> environment = PackagedJar.embeddedEnvironment(
                    volume.resolve("data"),
                    PackagedJar.tenantFiles(Files.createTempDirectory("cramped-tenants"), TENANT, "echo"),
                    stub.baseUrl(),
                    "echo");
            environment.put("SWITCHBOARD_EMBEDDED_MIN_FREE_DISK", "128M");
            environment.put("SWITCHBOARD_WIDGET_RATE_LIMIT_MESSAGES_PER_CONVERSATION", "1000");
            PackagedJar platform = PackagedJar.start(
                    Path.of(System.getProperty("switchboard.jar", "target/quarkus-app/quarkus-run.jar")),
                    "512m",
                    environment,
                    PackagedReplicas.log("full-disk"));
            try {
                JsonPath conversation = given().baseUri(platform.uri().toString())
                        .contentType(ContentType.JSON)
                        .body("{}")
                        .post("/api/v1/widget/{tenant}/conversations", TENANT)
                        .then()
                        .statusCode(201)
                        .extract()
                        .jsonPath();
                send(platform, conversation, "before the disk filled").statusCode(200);

                Path filler = volume.resolve("filler");
                fill(filler, Files.getFileStore(volume).getUsableSpace() - 64 * MEGABYTE);
                // The free space is read at most once a second: probe until the platform has seen it go.
                await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() ->
                                send(platform, conversation, "probe").extract().statusCode() == 503);
                send(platform, conversation, "while the disk is full")
                        .statusCode(503)
                        .contentType("application/problem+json")
                        .header("Retry-After", "60")
                        .body("type", equalTo("urn:switchboard:problem:service-unavailable"))
                        .body(
                                "detail",
                                equalTo("We can't take new messages right now. Please try again in a few minutes."));

                Files.delete(filler);
                await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> send(platform, conversation, "after space returned")
                                        .extract()
                                        .statusCode()
                                == 200);
                List<String> texts = given().baseUri(platform.uri().toString())
                        .header("Authorization", "Bearer " + conversation.getString("token"))
                        .get(
                                "/api/v1/widget/{tenant}/conversations/{id}",
                                TENANT,
                                conversation.getString("conversationId"))
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("messages.text");
                assertThat(texts)
                        .contains("before the disk filled", "You said: before the disk filled", "after space returned")
                        .doesNotContain("while the disk is full");
            } finally {
                platform.process().destroy();
                platform.process().waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    private static ValidatableResponse send(PackagedJar platform, JsonPath conversation, String text) {
        return given().baseUri(platform.uri().toString())
                .contentType(ContentType.JSON)
                .accept(ContentType.JSON)
                .header("Authorization", "Bearer " + conversation.getString("token"))
                .body(Map.of("text", text))
                .post(
                        "/api/v1/widget/{tenant}/conversations/{id}/messages",
                        TENANT,
                        conversation.getString("conversationId"))
                .then();
    }

    /** Writes real bytes (a tmpfs keeps no sparse file's holes). */
    private static void fill(Path file, long bytes) throws Exception {
        byte[] chunk = new byte[(int) MEGABYTE];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written + chunk.length <= bytes; written += chunk.length) {
                out.write(chunk);
            }
        }
    }
}
