package io.switchboard.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.switchboard.widget.IdentityVerifier;
import java.util.Map;

/** The customer's side of the public widget API, as a browser widget would call it. */
public final class WidgetClient {

    public record Conversation(String tenant, String id, String token) {}

    private WidgetClient() {}

    public static Conversation start(String tenant) {
        return started(tenant, Map.of());
    }

    /** A conversation of a user the tenant's site vouches for with its widget secret (an HMAC of the user's id). */
    public static Conversation startVerified(String tenant, String userId, String widgetSecret) {
        return started(
                tenant, Map.of("user", Map.of("id", userId), "userHash", IdentityVerifier.hmac(widgetSecret, userId)));
    }

    private static Conversation started(String tenant, Map<String, Object> body) {
        var started = given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/widget/{tenant}/conversations", tenant)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Conversation(tenant, started.getString("conversationId"), started.getString("token"));
    }

    /** The customer presses a pending action's button: {@code decision} is {@code confirm} or {@code decline}. */
    public static ValidatableResponse decide(Conversation conversation, String pendingId, String decision) {
        return given().accept(ContentType.JSON)
                .header("Authorization", "Bearer " + conversation.token())
                .when()
                .post(
                        "/api/v1/widget/{tenant}/conversations/{id}/actions/{pendingId}/{decision}",
                        conversation.tenant(),
                        conversation.id(),
                        pendingId,
                        decision)
                .then();
    }

    public static ValidatableResponse send(Conversation conversation, String text) {
        return given().contentType(ContentType.JSON)
                .accept(ContentType.JSON)
                .header("Authorization", "Bearer " + conversation.token())
                .body(Map.of("text", text))
                .when()
                .post("/api/v1/widget/{tenant}/conversations/{id}/messages", conversation.tenant(), conversation.id())
                .then();
    }

    /** Sends a message the bot answers while it keeps the conversation: the text of its reply. */
    public static String botAnswer(Conversation conversation, String text) {
        return send(conversation, text)
                .statusCode(200)
                .body("reply.role", equalTo("bot"))
                .body("state", equalTo("BOT"))
                .extract()
                .path("reply.text");
    }

    /** Sends a message asking for a server-sent event stream; returns the whole stream once it ends. */
    public static String stream(Conversation conversation, String text) {
        return given().contentType(ContentType.JSON)
                .accept("text/event-stream")
                .header("Authorization", "Bearer " + conversation.token())
                .body(Map.of("text", text))
                .when()
                .post("/api/v1/widget/{tenant}/conversations/{id}/messages", conversation.tenant(), conversation.id())
                .then()
                .statusCode(200)
                .contentType(org.hamcrest.Matchers.containsString("text/event-stream"))
                .extract()
                .asString();
    }

    public static ValidatableResponse read(Conversation conversation) {
        return given().header("Authorization", "Bearer " + conversation.token())
                .when()
                .get("/api/v1/widget/{tenant}/conversations/{id}", conversation.tenant(), conversation.id())
                .then();
    }

    /** The customer marks one of the bot's answers helpful or not. */
    public static ValidatableResponse markAnswer(Conversation conversation, String messageId, boolean helpful) {
        return given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + conversation.token())
                .body(Map.of("helpful", helpful))
                .post(
                        "/api/v1/widget/{tenant}/conversations/{id}/messages/{message}/feedback",
                        conversation.tenant(),
                        conversation.id(),
                        messageId)
                .then();
    }

    /** The customer answers "How did we do?" with a body such as {@code {"score": 4, "comment": "..."}}. */
    public static ValidatableResponse rateConversation(Conversation conversation, Map<String, ?> body) {
        return given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + conversation.token())
                .body(body)
                .post("/api/v1/widget/{tenant}/conversations/{id}/rating", conversation.tenant(), conversation.id())
                .then();
    }
}
