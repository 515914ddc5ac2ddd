package io.switchboard.widget;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import io.switchboard.testing.WidgetSocketClient;
import jakarta.inject.Inject;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input gets a clear problem with a stable type, and nothing is stored. */
@QuarkusTest
class WidgetInputTest {

    private static final String VALIDATION_FAILED = "urn:switchboard:problem:validation-failed";
    private static final String MALFORMED = "urn:switchboard:problem:malformed-request";

    @Inject
    TestTenants tenants;

    @Inject
    io.switchboard.platform.ScopedConnections connections;

    @Inject
    StoredMessages stored;

    @TestHTTPResource("/")
    URI baseUri;

    @ParameterizedTest
    @ValueSource(strings = {"{\"text\":\"\"}", "{\"text\":\"   \"}", "{}", "{\"text\":null}"})
    void emptyTextIsRejected(String body) {
        WidgetClient.Conversation conversation =
                WidgetClient.start(tenants.withStubModel("echo").slug());

        post(conversation, body)
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo(VALIDATION_FAILED))
                .body("errors.field", hasItem("text"));
        assertThat(stored.of(conversation.id())).isEmpty();
    }

    @Test
    void textOver4000CharactersIsRejectedAndExactly4000IsAccepted() {
        WidgetClient.Conversation conversation =
                WidgetClient.start(tenants.withStubModel("echo").slug());

        post(conversation, "{\"text\":\"" + "a".repeat(4001) + "\"}")
                .statusCode(422)
                .body("type", equalTo(VALIDATION_FAILED))
                .body("errors[0].message", equalTo("must be at most 4000 characters"));
        assertThat(stored.of(conversation.id())).isEmpty();

        post(conversation, "{\"text\":\"" + "a".repeat(4000) + "\"}").statusCode(200);
        assertThat(stored.of(conversation.id())).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"text\":", "not json", "[1,2]", "{\"text\":{\"nested\":true}}"})
    void malformedJsonIsRejected(String body) {
        WidgetClient.Conversation conversation =
                WidgetClient.start(tenants.withStubModel("echo").slug());

        post(conversation, body)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(MALFORMED));
        assertThat(stored.of(conversation.id())).isEmpty();
    }

    @Test
    void aNulCharacterIsRejectedAndTheConversationGoesOn() {
        WidgetClient.Conversation conversation =
                WidgetClient.start(tenants.withStubModel("echo").slug());

        // PostgreSQL cannot store U+0000 in text: refused up front, not failed at the database.
        post(conversation, "{\"text\":\"Hello\\u0000there\"}")
                .statusCode(422)
                .body("type", equalTo(VALIDATION_FAILED))
                .body("errors[0].field", equalTo("text"))
                .body("errors[0].message", equalTo("must not contain the NUL character"));
        post(conversation, "{\"text\":\"Hello there\"}").statusCode(200);
        assertThat(stored.of(conversation.id()))
                .extracting(row -> row.get("text"))
                .containsExactly("Hello there", "You said: Hello there");
    }

    @Test
    void aMissingBodyIsRejected() {
        WidgetClient.Conversation conversation =
                WidgetClient.start(tenants.withStubModel("echo").slug());

        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + conversation.token())
                .when()
                .post("/api/v1/widget/{tenant}/conversations/{id}/messages", conversation.tenant(), conversation.id())
                .then()
                .statusCode(422)
                .body("type", equalTo(VALIDATION_FAILED));
        assertThat(stored.of(conversation.id())).isEmpty();
    }

    @Test
    void aConversationIdThatIsNotAUuidIsNotFound() {
        WidgetClient.Conversation conversation =
                WidgetClient.start(tenants.withStubModel("echo").slug());

        WidgetClient.read(new WidgetClient.Conversation(conversation.tenant(), "1 or 1=1", conversation.token()))
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void badWebSocketFramesGetAnErrorFrameAndTheConnectionStaysUsable() {
        WidgetClient.Conversation conversation =
                WidgetClient.start(tenants.withStubModel("echo").slug());

        try (WidgetSocketClient socket =
                WidgetSocketClient.connect(baseUri, conversation.tenant(), conversation.token())) {
            socket.sendRaw("{\"type\":\"message\",");
            assertThat(problemType(socket.next())).isEqualTo(MALFORMED);
            socket.sendRaw("{\"type\":\"dance\"}");
            assertThat(problemType(socket.next())).isEqualTo(MALFORMED);
            socket.sendMessage("");
            assertThat(problemType(socket.next())).isEqualTo(VALIDATION_FAILED);
            socket.sendMessage("b".repeat(4001));
            assertThat(problemType(socket.next())).isEqualTo(VALIDATION_FAILED);
            assertThat(stored.of(conversation.id())).isEmpty();

            socket.sendMessage("still there?");
            assertThat(socket.until("reply")
                            .getLast()
                            .path("message")
                            .path("text")
                            .asText())
                    .isEqualTo("You said: still there?");
        }
    }

    @Test
    void aConversationSendingTooFastIsSlowedDownWithRetryAfter() {
        WidgetClient.Conversation conversation =
                WidgetClient.start(tenants.withStubModel("echo").slug());
        for (int i = 1; i <= 20; i++) {
            WidgetClient.send(conversation, "message " + i).statusCode(200);
        }

        WidgetClient.send(conversation, "one too many")
                .statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:switchboard:problem:rate-limited"))
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]*"));
        assertThat(stored.of(conversation.id())).hasSize(40);
        WidgetClient.send(WidgetClient.start(conversation.tenant()), "another customer is not affected")
                .statusCode(200);
    }

    @Test
    void aConversationTokenStopsWorkingAfterThirtyIdleDays() throws Exception {
        String tenant = tenants.withStubModel("echo").slug();
        WidgetClient.Conversation idle = WidgetClient.start(tenant);
        WidgetClient.Conversation recent = WidgetClient.start(tenant);
        try (java.sql.Connection connection = connections.forPlatform("test: age conversations");
                java.sql.PreparedStatement age = connection.prepareStatement(
                        "update conversation set updated_at = now() - ?::interval where id = ?")) {
            for (Object[] conversation : new Object[][] {{"31 days", idle.id()}, {"29 days", recent.id()}}) {
                age.setString(1, (String) conversation[0]);
                age.setObject(2, java.util.UUID.fromString((String) conversation[1]));
                age.executeUpdate();
            }
        }
        WidgetClient.read(idle).statusCode(404);
        WidgetClient.send(idle, "hello again").statusCode(404);
        WidgetClient.read(recent).statusCode(200);
        WidgetClient.send(recent, "hello again").statusCode(200);
    }

    @Test
    void oneClientStartingConversationsTooFastIsSlowedDownWithoutUsingUpTheTenantsLimit() {
        String tenant = tenants.withStubModel("echo").slug();
        String client = "198.51.100." + (1 + new java.util.Random().nextInt(250));
        // As the test profile sets it: far below the tenant's limit of 300 a minute.
        int perAddress = 200;
        int started = 0;
        io.restassured.response.ValidatableResponse refused = null;
        // The bucket refills while the loop runs (a few a second), so a few more than its size get through.
        while (refused == null && started < perAddress + 50) {
            io.restassured.response.ValidatableResponse response = startFrom(client, tenant);
            if (response.extract().statusCode() == 201) {
                started++;
            } else {
                refused = response;
            }
        }
        assertThat(started).isBetween(perAddress, perAddress + 49);
        refused.statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:switchboard:problem:rate-limited"))
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]*"));
        startFrom("192.0.2." + (1 + new java.util.Random().nextInt(250)), tenant)
                .statusCode(201);
    }

    private static io.restassured.response.ValidatableResponse startFrom(String address, String tenant) {
        return given().header("X-Forwarded-For", address)
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/v1/widget/{tenant}/conversations", tenant)
                .then();
    }

    private static String problemType(JsonNode frame) {
        assertThat(frame.path("type").asText()).isEqualTo("error");
        return frame.path("problem").path("type").asText();
    }

    private static io.restassured.response.ValidatableResponse post(
            WidgetClient.Conversation conversation, String body) {
        return given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + conversation.token())
                .body(body)
                .when()
                .post("/api/v1/widget/{tenant}/conversations/{id}/messages", conversation.tenant(), conversation.id())
                .then();
    }
}
