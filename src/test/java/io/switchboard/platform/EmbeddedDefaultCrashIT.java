package io.switchboard.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.switchboard.testing.ModelStub;
import io.switchboard.testing.PackagedJar;
import io.switchboard.testing.PackagedReplicas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default (the README's first command) killed hard in the middle of customers'
 * turns, as an out-of-memory kill or a container runtime's hard stop does: the first start
 * afterwards is ready, and every turn the platform acknowledged is there.
 */
class EmbeddedDefaultCrashIT {

    private static final String TENANT = "crash-safe";
    private static final int CUSTOMERS = 4;
    private static final int ACKNOWLEDGED_BEFORE_THE_KILL = 25;

    /** A turn the platform answered 200 to: the customer's text and the reply it gave, if any (a person may own the conversation). */
    private record Turn(String conversationId, String token, String text, String reply) {}

    @TempDir
    Path home;

    @Test
    void afterSigkillInABurstOfTurnsTheFirstStartIsReadyAndHoldsEveryAcknowledgedTurn() throws Exception {
        try (ModelStub stub = ModelStub.start()) {
            Map<String, String> environment = environment(stub);
            PackagedJar killed = PackagedJar.start(jar(), "512m", environment, PackagedReplicas.log("embedded-killed"));
            ConcurrentLinkedQueue<Turn> acknowledged = new ConcurrentLinkedQueue<>();
            ExecutorService customers = Executors.newFixedThreadPool(CUSTOMERS);
            for (int customer = 0; customer < CUSTOMERS; customer++) {
                int number = customer;
                customers.submit(() -> converse(killed, number, acknowledged));
            }
            await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= ACKNOWLEDGED_BEFORE_THE_KILL);
            killed.process().destroyForcibly();
            assertThat(killed.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            customers.shutdown();
            assertThat(customers.awaitTermination(1, TimeUnit.MINUTES))
                    .as("every customer saw the platform go")
                    .isTrue();

            PackagedJar restarted =
                    PackagedJar.start(jar(), "512m", environment, PackagedReplicas.log("embedded-restarted"));
            try {
                List<String> missing = new ArrayList<>();
                for (Turn turn : acknowledged) {
                    List<String> transcript = transcript(restarted, turn);
                    if (!transcript.contains("customer:" + turn.text())
                            || turn.reply() != null && !transcript.contains(turn.reply())) {
                        missing.add(turn.text());
                    }
                }
                assertThat(missing)
                        .as("acknowledged turns missing after the restart, of %d", acknowledged.size())
                        .isEmpty();
                assertThat(Files.readString(PackagedReplicas.log("embedded-restarted")))
                        .doesNotContain("postmaster.pid");
            } finally {
                restarted.process().destroy();
                restarted.process().waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    /** One customer's turns, one after the other, until the platform stops answering; a new conversation when one hits its rate limit. */
    private static void converse(PackagedJar platform, int customer, ConcurrentLinkedQueue<Turn> acknowledged) {
        try {
            JsonPath conversation = start(platform);
            for (int turn = 0; ; turn++) {
                String text = "customer " + customer + " turn " + turn;
                Response response = given().baseUri(platform.uri().toString())
                        .contentType(ContentType.JSON)
                        .header("Authorization", "Bearer " + conversation.getString("token"))
                        .body(Map.of("text", text))
                        .post(
                                "/api/v1/widget/{tenant}/conversations/{id}/messages",
                                TENANT,
                                conversation.getString("conversationId"));
                if (response.statusCode() == 200) {
                    JsonPath answered = response.jsonPath();
                    String reply = answered.getString("reply.text") == null
                            ? null
                            : answered.getString("reply.role") + ":" + answered.getString("reply.text");
                    acknowledged.add(new Turn(
                            conversation.getString("conversationId"), conversation.getString("token"), text, reply));
                } else if (response.statusCode() == 429) {
                    conversation = start(platform);
                }
            }
        } catch (RuntimeException | AssertionError platformGone) {
            // The connection was refused or cut: the platform was killed.
        }
    }

    private static JsonPath start(PackagedJar platform) {
        return given().baseUri(platform.uri().toString())
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/v1/widget/{tenant}/conversations", TENANT)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    private static List<String> transcript(PackagedJar platform, Turn turn) {
        JsonPath stored = given().baseUri(platform.uri().toString())
                .header("Authorization", "Bearer " + turn.token())
                .get("/api/v1/widget/{tenant}/conversations/{id}", TENANT, turn.conversationId())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> roles = stored.getList("messages.role");
        List<String> texts = stored.getList("messages.text");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            lines.add(roles.get(i) + ":" + texts.get(i));
        }
        return lines;
    }

    private Map<String, String> environment(ModelStub stub) throws Exception {
        return PackagedJar.embeddedEnvironment(
                home.resolve("data"),
                PackagedJar.tenantFiles(home.resolve("tenants"), TENANT, "echo"),
                stub.baseUrl(),
                "echo");
    }

    private static Path jar() {
        return Path.of(System.getProperty("switchboard.jar", "target/quarkus-app/quarkus-run.jar"));
    }
}
