package io.switchboard.channel;

import static io.restassured.RestAssured.given;
import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.switchboard.handoff.BusinessHours;
import io.switchboard.handoff.EscalationRules;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.CallbackReceiver;
import io.switchboard.testing.Management;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The API channel as a tenant's server uses it: it posts its customers' messages with the
 * channel's token and gets every reply, agent message and state change at its callback URL,
 * signed, retried until delivered, and listed per delivery.
 */
@QuarkusTest
class ApiChannelTest {

    private static final String CHANNELS = "/api/v1/tenants/{tenant}/channels";
    private static final String CONVERSATION = "/api/v1/tenants/{tenant}/conversations/{id}";

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    private final CallbackReceiver receiver = new CallbackReceiver();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aCustomerAndThenAnAgentTalkThroughTheTenantsServer() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        JsonPath channel = createChannel(admin, tenant, Map.of("name", "Mobile app"));
        assertThat(channel.getString("token")).startsWith("sbch_");
        assertThat(channel.getString("signingSecret")).startsWith("whsec_");

        String conversationId = post(channel, "user-42", "Where is my parcel?")
                .statusCode(202)
                .extract()
                .path("conversationId");

        CallbackReceiver.Received answer = awaitCallback(conversationId, "bot");
        assertThat(answer.signedWith(channel.getString("signingSecret")))
                .as("the tenant's server can verify the callback")
                .isTrue();
        assertThat(answer.json().path("message").path("text").asText()).isEqualTo("You said: Where is my parcel?");
        assertThat(answer.json().path("channelId").asText()).isEqualTo(channel.getString("id"));
        assertThat(answer.json().path("contactId").asText()).isEqualTo("user-42");
        assertThat(answer.json().path("state").asText()).isEqualTo("BOT");

        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        as(agent)
                .post(CONVERSATION + "/assign", tenant.slug(), conversationId)
                .then()
                .statusCode(200);
        as(agent)
                .body(Map.of("text", "Hi, I am Sam. Your parcel left our depot today."))
                .post(CONVERSATION + "/messages", tenant.slug(), conversationId)
                .then()
                .statusCode(200);

        CallbackReceiver.Received reply = awaitCallback(conversationId, "agent");
        assertThat(reply.json().path("message").path("text").asText())
                .isEqualTo("Hi, I am Sam. Your parcel left our depot today.");
        assertThat(reply.signedWith(channel.getString("signingSecret"))).isTrue();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> callbacks(conversationId).stream()
                        .anyMatch(callback -> !callback.json().has("message")
                                && callback.json().path("state").asText().equals("HUMAN")));

        as(admin)
                .get(CHANNELS + "/{id}/deliveries", tenant.slug(), channel.getString("id"))
                .then()
                .statusCode(200)
                .body("status", everyItem(equalTo("delivered")))
                .body("eventType", hasItem("switchboard.conversation.assigned"));
        assertThat(Management.metrics())
                .contains("switchboard_channel_messages_total{tenant=\"" + tenant.slug() + "\",type=\"api\"} 1.0")
                .containsPattern("switchboard_webhooks_deliveries_total\\{outcome=\"delivered\",owner=\"channel\"}");
        as(agent)
                .queryParam("channel", "api")
                .get("/api/v1/tenants/{tenant}/conversations", tenant.slug())
                .then()
                .statusCode(200)
                .body("id", contains(conversationId))
                .body("[0].channel.type", equalTo("api"))
                .body("[0].channel.id", equalTo(channel.getString("id")));
        WidgetClient.Conversation inWidget = WidgetClient.start(tenant.slug());
        as(agent)
                .queryParam("channel", "widget")
                .get("/api/v1/tenants/{tenant}/conversations", tenant.slug())
                .then()
                .statusCode(200)
                .body("id", contains(inWidget.id().toString()));
        as(admin)
                .accept("text/csv")
                .get(CONVERSATION + "/export", tenant.slug(), conversationId)
                .then()
                .statusCode(200)
                .body(startsWith("conversation,seq,created_at,role,author,text,model,provider,input_tokens,"
                        + "output_tokens,cost_usd,latency_ms,channel\r\n"));
    }

    @Test
    void theMessageIsAcknowledgedBeforeTheBotHasAnswered() {
        TenantSettings tenant = tenants.withStubModel("slow");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        JsonPath channel = createChannel(admin, tenant, Map.of("name", "App"));

        // One word, so the slow model's answer ("You said: <word>") stays within the stub endpoint's total timeout.
        JsonPath accepted =
                post(channel, "user-12", "Sunday?").statusCode(202).extract().jsonPath();

        as(admin)
                .get(CONVERSATION, tenant.slug(), accepted.getString("conversationId"))
                .then()
                .statusCode(200)
                .body("messages.id", hasItem(accepted.getString("messageId")))
                .body("messages.role", not(hasItem("bot")));
        assertThat(awaitCallback(accepted.getString("conversationId"), "bot")
                        .json()
                        .path("message")
                        .path("text")
                        .asText())
                .isEqualTo("You said: Sunday?");
    }

    @Test
    void erasingAContactErasesWhatItsCallbacksCarried() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        JsonPath channel = createChannel(admin, tenant, Map.of("name", "App"));
        String conversationId = post(channel, "user-5", "My address is 1 Elm Street")
                .statusCode(202)
                .extract()
                .path("conversationId");
        awaitCallback(conversationId, "bot");
        String deliveries = CHANNELS + "/{id}/deliveries";
        as(admin)
                .get(deliveries, tenant.slug(), channel.getString("id"))
                .then()
                .statusCode(200)
                .body("status", hasItem("delivered"));
        String contact = as(admin)
                .get(CONVERSATION, tenant.slug(), conversationId)
                .then()
                .statusCode(200)
                .body("conversation.channel.type", equalTo("api"))
                .extract()
                .path("conversation.contactId");

        as(admin)
                .delete("/api/v1/tenants/{tenant}/contacts/{id}", tenant.slug(), contact)
                .then()
                .statusCode(200);

        as(admin)
                .get(deliveries, tenant.slug(), channel.getString("id"))
                .then()
                .statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void aContactContinuesItsOpenConversation() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        JsonPath channel = createChannel(admin, tenant, Map.of("name", "Support bridge"));

        String first =
                post(channel, "user-7", "Hello").statusCode(202).extract().path("conversationId");
        awaitCallback(first, "bot");
        String again = post(channel, "user-7", "Are you there?")
                .statusCode(202)
                .extract()
                .path("conversationId");
        String other =
                post(channel, "user-8", "Hello").statusCode(202).extract().path("conversationId");

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> callbacks(first).stream()
                        .anyMatch(callback -> callback.json()
                                .path("message")
                                .path("text")
                                .asText()
                                .equals("You said: Are you there?")));
    }

    @Test
    void aRotatedTokenIsRevokedAndATokenOpensOnlyItsOwnChannel() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        JsonPath channel = createChannel(admin, tenant, Map.of("name", "App"));
        JsonPath second = createChannel(admin, tenant, Map.of("name", "Bridge"));

        String rotated = as(admin)
                .body(Map.of("rotateToken", true))
                .patch(CHANNELS + "/{id}", tenant.slug(), channel.getString("id"))
                .then()
                .statusCode(200)
                .body("signingSecret", equalTo(null))
                .extract()
                .path("token");

        post(channel, "user-1", "Hello")
                .statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:switchboard:problem:unauthorized"));
        postWith(second.getString("id"), rotated, "user-1", "Hello").statusCode(401);
        postWith(channel.getString("id"), "sbch_not-a-token", "user-1", "Hello").statusCode(401);
        postWith(channel.getString("id"), rotated, "user-1", "Hello").statusCode(202);
        as(admin)
                .get(CHANNELS + "/{id}", tenant.slug(), channel.getString("id"))
                .then()
                .statusCode(200)
                .body("token", equalTo(null))
                .body("callbackUrl", equalTo(receiver.url("/callbacks")));

        as(admin)
                .delete(CHANNELS + "/{id}", tenant.slug(), second.getString("id"))
                .then()
                .statusCode(204);
        post(second, "user-1", "Hello").statusCode(401);
    }

    @Test
    void anotherTenantsChannelIsNotFoundAndBadChannelsAreRefused() {
        TenantSettings tenant = tenants.withStubModel("echo");
        TenantSettings other = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String otherAdmin = AdminClient.newKey(platformKey, other.slug(), "tenant-admin");
        JsonPath channel = createChannel(admin, tenant, Map.of("name", "App"));

        as(otherAdmin)
                .get(CHANNELS + "/{id}", other.slug(), channel.getString("id"))
                .then()
                .statusCode(404);
        as(otherAdmin)
                .body(Map.of("name", "Mine now"))
                .patch(CHANNELS + "/{id}", other.slug(), channel.getString("id"))
                .then()
                .statusCode(404);
        as(otherAdmin)
                .delete(CHANNELS + "/{id}", other.slug(), channel.getString("id"))
                .then()
                .statusCode(404);
        as(otherAdmin)
                .get(CHANNELS + "/{id}/deliveries", other.slug(), channel.getString("id"))
                .then()
                .statusCode(404);
        as(otherAdmin)
                .get(CHANNELS, other.slug())
                .then()
                .statusCode(200)
                .body("type", contains("widget"))
                .body("[0].id", equalTo(other.id().toString()));

        as(admin)
                .body(Map.of("type", "email", "name", "Support inbox"))
                .post(CHANNELS, tenant.slug())
                .then()
                .statusCode(422)
                .body("type", equalTo("urn:switchboard:problem:channel-type-not-supported"));
        as(admin)
                .body(Map.of("type", "api", "name", "Metadata", "callbackUrl", "http://169.254.169.254/latest"))
                .post(CHANNELS, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", contains("callbackUrl"));
        as(admin)
                .body(Map.of("type", "api", "name", "App", "callbackUrl", receiver.url("/callbacks")))
                .post(CHANNELS, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", contains("name"));
        as(admin)
                .body(Map.of("name", "  "))
                .patch(CHANNELS + "/{id}", tenant.slug(), channel.getString("id"))
                .then()
                .statusCode(422)
                .body("errors.field", contains("name"));
        as(admin)
                .body(Map.of("botAnswers", false))
                .patch(CHANNELS + "/{id}", tenant.slug(), tenant.id())
                .then()
                .statusCode(409);
        given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + channel.getString("token"))
                .body(Map.of("contact", Map.of("id", "user-1"), "text", "x".repeat(4001)))
                .post("/api/v1/channels/{id}/messages", channel.getString("id"))
                .then()
                .statusCode(422)
                .body("errors.field", contains("text"));
    }

    @Test
    void aContactWritingTooFastIsToldToWait() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        JsonPath channel = createChannel(admin, tenant, Map.of("name", "App"));
        for (int i = 0; i < 5; i++) {
            post(channel, "user-13", "Message " + i).statusCode(202);
        }

        post(channel, "user-13", "One more")
                .statusCode(429)
                .header("Retry-After", not(equalTo(null)))
                .body("type", equalTo("urn:switchboard:problem:rate-limited"));
        post(channel, "user-14", "Hello").statusCode(202);
    }

    @Test
    void aFailingCallbackIsRetriedAndDeliveredOnce() {
        receiver.failFirst(1);
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        JsonPath channel = createChannel(admin, tenant, Map.of("name", "Flaky server"));

        String conversationId =
                post(channel, "user-3", "Hello?").statusCode(202).extract().path("conversationId");

        CallbackReceiver.Received answer = awaitCallback(conversationId, "bot");
        List<Integer> attempts = receiver.received().stream()
                .filter(callback -> callback.eventId().equals(answer.eventId()))
                .map(CallbackReceiver.Received::status)
                .toList();
        assertThat(attempts).containsExactly(500, 204);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> as(admin)
                        .get(CHANNELS + "/{id}/deliveries", tenant.slug(), channel.getString("id"))
                        .then()
                        .statusCode(200)
                        .body("status", everyItem(equalTo("delivered")))
                        .body("attempts", everyItem(equalTo(2))));
    }

    @Test
    void withTheBotOffEveryConversationGoesStraightToAPerson() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        JsonPath channel = createChannel(
                admin, tenant, Map.of("name", "VIP line", "botAnswers", false, "greeting", "Welcome to the VIP line."));

        String conversationId = post(channel, "user-9", "I need help with my order")
                .statusCode(202)
                .extract()
                .path("conversationId");

        CallbackReceiver.Received pending = awaitCallback(
                conversationId,
                callback -> callback.json().path("state").asText().equals("PENDING_HUMAN"));
        assertThat(pending.signedWith(channel.getString("signingSecret"))).isTrue();
        as(admin)
                .get(CONVERSATION, tenant.slug(), conversationId)
                .then()
                .statusCode(200)
                .body("conversation.state", equalTo("PENDING_HUMAN"))
                .body("conversation.escalationReason", equalTo("bot_off"))
                .body("messages.role", not(hasItem("bot")))
                .body("messages[0].text", equalTo("Welcome to the VIP line."));
    }

    @Test
    void outsideBusinessHoursTheChannelsOwnReplyIsSent() {
        String openDay = LocalDate.now(ZoneOffset.UTC)
                .plusDays(2)
                .getDayOfWeek()
                .getDisplayName(TextStyle.SHORT, Locale.ENGLISH)
                .toLowerCase(Locale.ROOT);
        TenantSettings tenant = tenants.withEscalation(new EscalationRules(
                List.of(), null, new BusinessHours("UTC", Map.of(openDay, "09:00-17:00")), null, null, null));
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        JsonPath channel = createChannel(
                admin,
                tenant,
                Map.of("name", "Night line", "botAnswers", false, "awayReply", "We read messages again on {back}."));

        String conversationId = post(channel, "user-11", "Anyone there?")
                .statusCode(202)
                .extract()
                .path("conversationId");

        CallbackReceiver.Received notice = awaitCallback(
                conversationId,
                callback -> callback.json().path("state").asText().equals("PENDING_HUMAN")
                        && callback.json().has("message"));
        assertThat(notice.json().path("message").path("role").asText()).isEqualTo("system");
        assertThat(notice.json().path("message").path("text").asText())
                .startsWith(
                        "We read messages again on " + openDay.substring(0, 1).toUpperCase(Locale.ROOT))
                .endsWith(" at 09:00 (UTC).");
    }

    private JsonPath createChannel(String admin, TenantSettings tenant, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("type", "api");
        body.put("callbackUrl", receiver.url("/callbacks"));
        return as(admin)
                .body(body)
                .post(CHANNELS, tenant.slug())
                .then()
                .statusCode(201)
                .body("type", equalTo("api"))
                .extract()
                .jsonPath();
    }

    private ValidatableResponse post(JsonPath channel, String contact, String text) {
        return postWith(channel.getString("id"), channel.getString("token"), contact, text);
    }

    private static ValidatableResponse postWith(String channelId, String token, String contact, String text) {
        return given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + token)
                .body(Map.of("contact", Map.of("id", contact, "name", "Ada"), "text", text))
                .post("/api/v1/channels/{id}/messages", channelId)
                .then();
    }

    private List<CallbackReceiver.Received> callbacks(String conversationId) {
        return receiver.received().stream()
                .filter(callback -> callback.status() == 204)
                .filter(callback ->
                        callback.json().path("conversationId").asText().equals(conversationId))
                .toList();
    }

    /** The first delivered callback of the conversation with a message of this role. */
    private CallbackReceiver.Received awaitCallback(String conversationId, String role) {
        return awaitCallback(
                conversationId,
                callback ->
                        callback.json().path("message").path("role").asText().equals(role));
    }

    /** The first delivered callback of the conversation that {@code wanted} accepts. */
    private CallbackReceiver.Received awaitCallback(
            String conversationId, Predicate<CallbackReceiver.Received> wanted) {
        return await().atMost(Duration.ofSeconds(15))
                .until(() -> callbacks(conversationId).stream().filter(wanted).findFirst(), Optional::isPresent)
                .orElseThrow();
    }
}
