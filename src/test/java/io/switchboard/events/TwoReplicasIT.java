package io.switchboard.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.switchboard.testing.PackagedJar;
import io.switchboard.testing.PackagedReplicas;
import io.switchboard.testing.WidgetSocketClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged application on one PostgreSQL and one Kafka broker, as behind a
 * load balancer with no sticky sessions: a customer connected to one replica hears, exactly
 * once, what an agent does on the other.
 */
class TwoReplicasIT {

    private static final String TENANT = "replicas";
    private static final String PLATFORM_KEY = PackagedJar.PLATFORM_KEY;

    private static PackagedReplicas cluster;
    private static URI first;
    private static URI second;

    @BeforeAll
    static void startTwoReplicas() throws IOException, InterruptedException {
        cluster = PackagedReplicas.forTenant(TENANT, "echo");
        first = cluster.start("first").uri();
        second = cluster.start("second").uri();
    }

    @AfterAll
    static void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aReplicaOnADatabaseWithoutAutovacuumSaysSoAtStart() throws Exception {
        String autovacuum;
        try (Connection database = cluster.connectToDatabase();
                Statement show = database.createStatement();
                ResultSet setting = show.executeQuery("show autovacuum")) {
            setting.next();
            autovacuum = setting.getString(1);
        }
        String startup = Files.readString(PackagedReplicas.log("first"));
        assertThat(startup.contains("PostgreSQL runs with autovacuum off"))
                .as("autovacuum is %s", autovacuum)
                .isEqualTo(autovacuum.equals("off"));
    }

    @Test
    void anAgentOnOneReplicaReachesTheCustomerOnTheOtherExactlyOnce() {
        var started = given().baseUri(first.toString())
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/v1/widget/{tenant}/conversations", TENANT)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String conversation = started.getString("conversationId");
        String agentKey = given().baseUri(second.toString())
                .header("Authorization", "Bearer " + PLATFORM_KEY)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "agent", "roles", List.of("agent")))
                .post("/api/v1/tenants/{tenant}/api-keys", TENANT)
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        String path = "/api/v1/tenants/{tenant}/conversations/{id}";

        try (WidgetSocketClient customer = WidgetSocketClient.connect(first, TENANT, started.getString("token"))) {
            customer.sendMessage("I want to talk to a human");
            assertThat(customer.until("reply")
                            .getLast()
                            .path("message")
                            .path("role")
                            .asText())
                    .isEqualTo("system");
            assertThat(customer.next().path("state").asText()).isEqualTo("PENDING_HUMAN");

            given().baseUri(second.toString())
                    .header("Authorization", "Bearer " + agentKey)
                    .post(path + "/assign", TENANT, conversation)
                    .then()
                    .statusCode(200);
            for (String text : List.of("Hi, I'm Sam, on the other replica.", "Your refund is on its way.")) {
                given().baseUri(second.toString())
                        .header("Authorization", "Bearer " + agentKey)
                        .contentType(ContentType.JSON)
                        .body(Map.of("text", text))
                        .post(path + "/messages", TENANT, conversation)
                        .then()
                        .statusCode(200);
            }

            List<String> frames = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                JsonNode frame = customer.next();
                frames.add(frame.path("type").asText() + ":"
                        + (frame.has("state")
                                ? frame.path("state").asText()
                                : frame.path("message").path("text").asText()));
            }
            assertThat(frames.get(0)).startsWith("system_message:").endsWith("joined the conversation.");
            assertThat(frames.subList(1, 6))
                    .containsExactly(
                            "state:HUMAN",
                            "agent_message:Hi, I'm Sam, on the other replica.",
                            "state:HUMAN",
                            "agent_message:Your refund is on its way.",
                            "state:HUMAN");
            customer.sendMessage("thanks");
            assertThat(customer.next().path("type").asText())
                    .as("nothing delivered twice, and no bot reply")
                    .isEqualTo("state");
        }
    }

    @Test
    void aKeyRevokedOnOneReplicaStopsWorkingOnTheOther() {
        String key = given().baseUri(first.toString())
                .header("Authorization", "Bearer " + PLATFORM_KEY)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "leaving agent", "roles", List.of("agent")))
                .post("/api/v1/tenants/{tenant}/api-keys", TENANT)
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        String keyId = given().baseUri(first.toString())
                .header("Authorization", "Bearer " + PLATFORM_KEY)
                .get("/api/v1/tenants/{tenant}/api-keys", TENANT)
                .then()
                .statusCode(200)
                .extract()
                .path("find { it.name == 'leaving agent' }.id");
        // The first replica has checked the key and remembers it.
        given().baseUri(first.toString())
                .header("Authorization", "Bearer " + key)
                .get("/api/v1/tenants/{tenant}/conversations", TENANT)
                .then()
                .statusCode(200);

        given().baseUri(second.toString())
                .header("Authorization", "Bearer " + PLATFORM_KEY)
                .delete("/api/v1/tenants/{tenant}/api-keys/{id}", TENANT, keyId)
                .then()
                .statusCode(204);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().baseUri(first.toString())
                        .header("Authorization", "Bearer " + key)
                        .get("/api/v1/tenants/{tenant}/conversations", TENANT)
                        .then()
                        .statusCode(401));
    }
}
