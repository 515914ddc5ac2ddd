package io.switchboard.events;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.platform.Secrets;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tenant webhooks: signed deliveries a receiver can verify, retries, dead letters, all visible in the API. */
@QuarkusTest
class WebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEBHOOKS = "/api/v1/tenants/{tenant}/webhooks";

    /** What the test receiver got: headers it checks and the raw body. */
    record Received(String path, String eventId, String eventType, String signature, String body) {}

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Switchboard-Event-Id"),
                    exchange.getRequestHeaders().getFirst("Switchboard-Event-Type"),
                    exchange.getRequestHeaders().getFirst("Switchboard-Signature"),
                    body));
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/failing") ? 500 : 204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void eventsTheTenantSubscribedToArriveSignedAndAreListedAsDelivered() throws Exception {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        var created = as(admin)
                .body(Map.of(
                        "url",
                        url("/hooks"),
                        "eventTypes",
                        List.of("switchboard.conversation.message-created"),
                        "description",
                        "helpdesk sync"))
                .post(WEBHOOKS, tenant.slug())
                .then()
                .statusCode(201)
                .body("secret", startsWith("whsec_"))
                .body("eventTypes", contains("switchboard.conversation.message-created"))
                .extract()
                .jsonPath();
        String secret = created.getString("secret");

        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        WidgetClient.send(conversation, "Where is my parcel?").statusCode(200);

        await().atMost(Duration.ofSeconds(15))
                .until(() -> deliveriesFor(conversation.id(), "/hooks").size() == 2);
        for (Received delivery : deliveriesFor(conversation.id(), "/hooks")) {
            assertThat(delivery.eventType()).isEqualTo("switchboard.conversation.message-created");
            String timestamp = delivery.signature().replaceFirst("^t=(\\d+),v1=.*$", "$1");
            String signature = delivery.signature().replaceFirst("^t=\\d+,v1=", "");
            assertThat(signature)
                    .as("a receiver can verify the signature")
                    .isEqualTo(Secrets.hmacSha256(secret, timestamp + "." + delivery.body()));
            assertThat(JSON.readTree(delivery.body()).path("id").asText()).isEqualTo(delivery.eventId());
        }
        List<String> texts = deliveriesFor(conversation.id(), "/hooks").stream()
                .map(delivery -> read(delivery.body())
                        .path("data")
                        .path("message")
                        .path("text")
                        .asText())
                .toList();
        assertThat(texts).containsExactlyInAnyOrder("Where is my parcel?", "You said: Where is my parcel?");
        assertThat(received).noneMatch(delivery -> "switchboard.conversation.started".equals(delivery.eventType()));

        as(admin)
                .get(WEBHOOKS + "/{id}/deliveries", tenant.slug(), created.getString("id"))
                .then()
                .statusCode(200)
                .body("status", contains("delivered", "delivered"))
                .body("attempts", contains(1, 1));
        as(admin)
                .get(WEBHOOKS, tenant.slug())
                .then()
                .statusCode(200)
                .body("[0].secret", equalTo(null))
                .body("[0].description", equalTo("helpdesk sync"));
    }

    @Test
    void aFailingReceiverIsRetriedThenDeadLettered() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String id = as(admin)
                .body(Map.of("url", url("/failing"), "eventTypes", List.of("switchboard.conversation.started")))
                .post(WEBHOOKS, tenant.slug())
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> as(admin)
                        .get(WEBHOOKS + "/{id}/deliveries", tenant.slug(), id)
                        .then()
                        .statusCode(200)
                        .body("status", contains("dead"))
                        .body("attempts", contains(3))
                        .body("lastStatus", contains(500))
                        .body("lastError", contains("HTTP 500")));
        assertThat(deliveriesFor(conversation.id(), "/failing"))
                .hasSize(3)
                .extracting(Received::eventId)
                .containsOnly(
                        deliveriesFor(conversation.id(), "/failing").get(0).eventId());
        as(admin)
                .queryParam("status", "delivered")
                .get(WEBHOOKS + "/{id}/deliveries", tenant.slug(), id)
                .then()
                .statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void badWebhooksAreRefusedAndOtherTenantsSeeNothing() {
        TenantSettings tenant = tenants.withStubModel("echo");
        TenantSettings other = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        String otherAdmin = AdminClient.newKey(platformKey, other.slug(), "tenant-admin");

        as(admin)
                .body(Map.of("url", "http://169.254.169.254/latest/meta-data"))
                .post(WEBHOOKS, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", contains("url"));
        as(admin)
                .body(Map.of("url", "http://10.1.2.3/hook"))
                .post(WEBHOOKS, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", contains("url"));
        as(admin)
                .body(Map.of("url", "https://no-such-host.invalid/hook"))
                .post(WEBHOOKS, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors[0].message", equalTo("does not resolve to an address"));
        as(admin)
                .body(Map.of("url", url("/hooks"), "eventTypes", List.of("switchboard.everything")))
                .post(WEBHOOKS, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", contains("eventTypes"));
        as(agent)
                .body(Map.of("url", url("/hooks")))
                .post(WEBHOOKS, tenant.slug())
                .then()
                .statusCode(403);

        String id = as(admin)
                .body(Map.of("url", url("/hooks")))
                .post(WEBHOOKS, tenant.slug())
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as(otherAdmin)
                .get(WEBHOOKS + "/{id}/deliveries", other.slug(), id)
                .then()
                .statusCode(404);
        as(otherAdmin).delete(WEBHOOKS + "/{id}", other.slug(), id).then().statusCode(404);
        as(otherAdmin).get(WEBHOOKS, tenant.slug()).then().statusCode(404);
        as(admin).delete(WEBHOOKS + "/{id}", tenant.slug(), id).then().statusCode(204);
        as(admin).get(WEBHOOKS, tenant.slug()).then().statusCode(200).body("size()", equalTo(0));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private List<Received> deliveriesFor(String conversationId, String path) {
        return received.stream()
                .filter(delivery ->
                        delivery.path().equals(path) && delivery.body().contains(conversationId))
                .toList();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
