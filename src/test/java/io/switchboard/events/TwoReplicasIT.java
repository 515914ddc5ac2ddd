package io.switchboard.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.switchboard.testing.KafkaBroker;
import io.switchboard.testing.ModelStub;
import io.switchboard.testing.PostgresResource;
import io.switchboard.testing.WidgetSocketClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
    private static final String PLATFORM_KEY = "sbk_two_replicas_platform_key_0123456789";

    private static final List<Process> replicas = new ArrayList<>();
    private static PostgresResource postgres;
    private static ModelStub stub;
    private static KafkaBroker kafka;
    private static URI first;
    private static URI second;

    @BeforeAll
    static void startTwoReplicas() throws IOException {
        postgres = new PostgresResource();
        Map<String, String> database = postgres.start();
        stub = ModelStub.start();
        kafka = KafkaBroker.start();
        Path tenants = Files.createTempDirectory("switchboard-replicas-tenants");
        Files.writeString(tenants.resolve(TENANT + ".yaml"), String.join("\n",
                "slug: " + TENANT,
                "name: Two replicas",
                "allowedOrigins: [https://shop.example]",
                "model: { primary: { endpoint: stub, model: echo } }",
                ""));
        Map<String, String> environment = new HashMap<>(Map.of(
                "SWITCHBOARD_DB_URL", database.get("quarkus.datasource.jdbc.url"),
                "SWITCHBOARD_DB_OWNER_USER", database.get("quarkus.flyway.username"),
                "SWITCHBOARD_TENANTS_DIR", tenants.toString(),
                "SWITCHBOARD_BOOTSTRAP_API_KEY", PLATFORM_KEY,
                "SWITCHBOARD_EVENTS_CONNECTOR", "smallrye-kafka",
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SWITCHBOARD_MODEL_ALLOWED_HOSTS", "127.0.0.1",
                "SWITCHBOARD_MODEL_ENDPOINTS__STUB__BASE_URL", stub.baseUrl(),
                "SWITCHBOARD_MODEL_ENDPOINTS__STUB__MODELS", "echo"));
        // One after the other: the first applies the migrations and the tenant file, the second finds them done.
        first = startReplica("first", environment);
        second = startReplica("second", environment);
    }

    @AfterAll
    static void stopEverything() {
        replicas.forEach(Process::destroy);
        for (Process replica : replicas) {
            try {
                replica.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
        if (stub != null) {
            stub.close();
        }
        if (postgres != null) {
            postgres.stop();
        }
    }

    @Test
    void anAgentOnOneReplicaReachesTheCustomerOnTheOtherExactlyOnce() {
        var started = given().baseUri(first.toString()).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/widget/{tenant}/conversations", TENANT).then().statusCode(201).extract().jsonPath();
        String conversation = started.getString("conversationId");
        String agentKey = given().baseUri(second.toString()).header("Authorization", "Bearer " + PLATFORM_KEY)
                .contentType(ContentType.JSON).body(Map.of("name", "agent", "roles", List.of("agent")))
                .post("/api/v1/tenants/{tenant}/api-keys", TENANT).then().statusCode(201).extract().path("key");
        String path = "/api/v1/tenants/{tenant}/conversations/{id}";

        try (WidgetSocketClient customer = WidgetSocketClient.connect(first, TENANT, started.getString("token"))) {
            customer.sendMessage("I want to talk to a human");
            assertThat(customer.until("reply").getLast().path("message").path("role").asText()).isEqualTo("system");
            assertThat(customer.next().path("state").asText()).isEqualTo("PENDING_HUMAN");

            given().baseUri(second.toString()).header("Authorization", "Bearer " + agentKey)
                    .post(path + "/assign", TENANT, conversation).then().statusCode(200);
            for (String text : List.of("Hi, I'm Sam, on the other replica.", "Your refund is on its way.")) {
                given().baseUri(second.toString()).header("Authorization", "Bearer " + agentKey).contentType(ContentType.JSON)
                        .body(Map.of("text", text)).post(path + "/messages", TENANT, conversation).then().statusCode(200);
            }

            List<String> frames = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                JsonNode frame = customer.next();
                frames.add(frame.path("type").asText() + ":" + (frame.has("state") ? frame.path("state").asText()
                        : frame.path("message").path("text").asText()));
            }
            assertThat(frames.get(0)).startsWith("system_message:").endsWith("joined the conversation.");
            assertThat(frames.subList(1, 6)).containsExactly("state:HUMAN",
                    "agent_message:Hi, I'm Sam, on the other replica.", "state:HUMAN",
                    "agent_message:Your refund is on its way.", "state:HUMAN");
            customer.sendMessage("thanks");
            assertThat(customer.next().path("type").asText()).as("nothing delivered twice, and no bot reply").isEqualTo("state");
        }
    }

    @Test
    void aKeyRevokedOnOneReplicaStopsWorkingOnTheOther() {
        String key = given().baseUri(first.toString()).header("Authorization", "Bearer " + PLATFORM_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", "leaving agent", "roles", List.of("agent")))
                .post("/api/v1/tenants/{tenant}/api-keys", TENANT).then().statusCode(201).extract().path("key");
        String keyId = given().baseUri(first.toString()).header("Authorization", "Bearer " + PLATFORM_KEY)
                .get("/api/v1/tenants/{tenant}/api-keys", TENANT).then().statusCode(200)
                .extract().path("find { it.name == 'leaving agent' }.id");
        // The first replica has checked the key and remembers it.
        given().baseUri(first.toString()).header("Authorization", "Bearer " + key)
                .get("/api/v1/tenants/{tenant}/conversations", TENANT).then().statusCode(200);

        given().baseUri(second.toString()).header("Authorization", "Bearer " + PLATFORM_KEY)
                .delete("/api/v1/tenants/{tenant}/api-keys/{id}", TENANT, keyId).then().statusCode(204);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().baseUri(first.toString()).header("Authorization", "Bearer " + key)
                .get("/api/v1/tenants/{tenant}/conversations", TENANT).then().statusCode(401));
    }

    private static URI startReplica(String name, Map<String, String> environment) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m", "-jar",
                System.getProperty("switchboard.jar", "target/quarkus-app/quarkus-run.jar"));
        builder.environment().putAll(environment);
        builder.environment().put("SWITCHBOARD_HTTP_PORT", String.valueOf(port));
        builder.redirectErrorStream(true).redirectOutput(Path.of("target", "replica-" + name + ".log").toFile());
        replicas.add(builder.start());
        URI uri = URI.create("http://127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> given().baseUri(uri.toString()).get("/q/health/ready").statusCode() == 200);
        return uri;
    }
}
