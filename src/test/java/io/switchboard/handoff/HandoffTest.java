package io.switchboard.handoff;

import static io.restassured.RestAssured.given;
import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.Management;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.StubRequests;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import io.switchboard.testing.WidgetSocketClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A person is one message away, and once a person owns the conversation the bot is silent. */
@QuarkusTest
class HandoffTest {

    private static final String CONVERSATION = "/api/v1/tenants/{tenant}/conversations/{id}";

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI baseUri;

    @ConfigProperty(name = "switchboard.model.endpoints.stub.base-url")
    String stubBaseUrl;

    @Test
    void internalNotesReachAgentsButNeverTheCustomerOrTheModel() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        String note = "VIP guest " + java.util.UUID.randomUUID() + ": refund without questions";

        try (WidgetSocketClient customer = WidgetSocketClient.connect(baseUri, tenant.slug(), conversation.token())) {
            as(agent)
                    .body(Map.of("text", note))
                    .post(CONVERSATION + "/notes", tenant.slug(), conversation.id())
                    .then()
                    .statusCode(201)
                    .body("message.role", equalTo("note"))
                    .body("state", equalTo("BOT"));
            customer.sendMessage("Can I get my money back?");
            JsonNode first = customer.next();
            assertThat(first.toString())
                    .as("the first frame after the note is the bot's answer, not the note")
                    .doesNotContain(note);
            assertThat(customer.until("reply")
                            .getLast()
                            .path("message")
                            .path("text")
                            .asText())
                    .isEqualTo("You said: Can I get my money back?");
        }

        WidgetClient.read(conversation).statusCode(200).body("messages.text", org.hamcrest.Matchers.not(hasItem(note)));
        JsonNode requests = StubRequests.all(stubBaseUrl);
        assertThat(requests.toString()).as("no model ever reads a note").doesNotContain("VIP guest");
        as(agent)
                .get(CONVERSATION, tenant.slug(), conversation.id())
                .then()
                .statusCode(200)
                .body("messages.find { it.role == 'note' }.text", equalTo(note))
                .body("messages.find { it.role == 'note' }.author", org.hamcrest.Matchers.startsWith("api-key:"));
    }

    @Test
    void twoUnhelpfulAnswersInARowBringAPersonIn() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        WidgetClient.Conversation other = WidgetClient.start(tenant.slug());
        String otherAnswer =
                WidgetClient.send(other, "hello").statusCode(200).extract().path("reply.id");

        WidgetClient.markAnswer(conversation, answer(conversation, "Where is my refund?"), false)
                .statusCode(200)
                .body("state", equalTo("BOT"))
                .body("reply", nullValue());
        WidgetClient.markAnswer(conversation, answer(conversation, "I asked where my refund is"), true)
                .statusCode(200)
                .body("state", equalTo("BOT"));
        WidgetClient.markAnswer(conversation, answer(conversation, "Still no refund"), false)
                .statusCode(200)
                .body("state", equalTo("BOT"));
        WidgetClient.markAnswer(conversation, otherAnswer, false).statusCode(404);
        String customerMessage = WidgetClient.send(conversation, "Refund, please")
                .statusCode(200)
                .extract()
                .path("message.id");
        WidgetClient.markAnswer(conversation, customerMessage, false).statusCode(404);

        String last = WidgetClient.read(conversation)
                .statusCode(200)
                .extract()
                .path("messages.findAll { it.role == 'bot' }[-1].id");
        WidgetClient.markAnswer(conversation, last, false)
                .statusCode(200)
                .body("reply.role", equalTo("system"))
                .body("state", equalTo("PENDING_HUMAN"));
        assertThat(stored.conversation(conversation.id())).containsEntry("escalation_reason", "unhelpful_answers");

        // Analytics counters follow from the events: 3 answers rated unhelpful, 1 helpful, 1 escalation for that
        // reason.
        String tenantLabel = "tenant=\"" + tenant.slug() + "\"";
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Management.given()
                                .get("/q/metrics")
                                .then()
                                .extract()
                                .asString())
                        .containsPattern(
                                "switchboard_answers_rated_total\\{helpful=\"false\"," + tenantLabel + "} 3\\.0")
                        .containsPattern(
                                "switchboard_answers_rated_total\\{helpful=\"true\"," + tenantLabel + "} 1\\.0")
                        .containsPattern("switchboard_escalations_total\\{reason=\"unhelpful_answers\"," + tenantLabel
                                + "} 1\\.0")
                        .containsPattern("switchboard_conversations_started_total\\{" + tenantLabel + "} 2\\.0"));
    }

    @Test
    void askingTheSameQuestionAgainInOtherWordsCountsAsAnUnhelpfulAnswer() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        // all-MiniLM-L6-v2 similarities: 0.57 from the refund question to the first ask to cancel, then 0.99 and 0.97.
        answer(conversation, "How do I get a refund for my booking?");
        answer(conversation, "How do I cancel my reservation?");
        answer(conversation, "How can I cancel my reservation?");
        WidgetClient.send(conversation, "how do i cancel the reservation")
                .statusCode(200)
                .body("reply.role", equalTo("system"))
                .body("state", equalTo("PENDING_HUMAN"));

        assertThat(stored.conversation(conversation.id())).containsEntry("escalation_reason", "unhelpful_answers");
        assertThat(stored.of(conversation.id()))
                .filteredOn(row -> "bot".equals(row.get("role")))
                .extracting(row -> row.get("feedback"))
                .containsExactly(null, "unhelpful", "unhelpful");
    }

    @Test
    void outOfHoursTheCustomerIsToldWhenTheTeamIsBackAndLeavesAnEmail() {
        // Open only two days from now, 09:00-10:00 UTC: closed whenever this runs.
        java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
        String openDay = now.plusDays(2)
                .getDayOfWeek()
                .getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH)
                .toLowerCase(java.util.Locale.ROOT);
        TenantSettings tenant = tenants.withEscalation(new EscalationRules(
                List.of(), null, new BusinessHours("UTC", Map.of(openDay, "09:00-10:00")), null, null, null));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        java.time.OffsetDateTime back = now.plusDays(2)
                .withHour(9)
                .withMinute(0)
                .withSecond(0)
                .withNano(0)
                .toOffsetDateTime();

        String awayUntil = WidgetClient.send(conversation, "I want to talk to a human")
                .statusCode(200)
                .body("reply.text", org.hamcrest.Matchers.containsString("away right now"))
                .body(
                        "reply.text",
                        org.hamcrest.Matchers.containsString(back.format(java.time.format.DateTimeFormatter.ofPattern(
                                "EEEE d MMMM 'at' HH:mm", java.util.Locale.ENGLISH))))
                .body("state", equalTo("PENDING_HUMAN"))
                .extract()
                .path("awayUntil");
        assertThat(java.time.OffsetDateTime.parse(awayUntil)).isEqualTo(back);

        leaveEmail(conversation, "not an email").statusCode(422);
        leaveEmail(conversation, "guest@example.com")
                .statusCode(200)
                .body("reply.text", equalTo("Thanks! We'll reply to guest@example.com."))
                .body("state", equalTo("PENDING_HUMAN"));
        assertThat(stored.contactOf(conversation.id())).containsEntry("email", "guest@example.com");
        assertThat(stored.events(tenant.id(), "switchboard.conversation.email-left"))
                .hasSize(1);
    }

    @Test
    void withinBusinessHoursTheUsualNoticeIsGiven() {
        TenantSettings tenant = tenants.withEscalation(new EscalationRules(
                List.of(),
                null,
                new BusinessHours(
                        "UTC",
                        Map.of(
                                "mon",
                                "00:00-24:00",
                                "tue",
                                "00:00-24:00",
                                "wed",
                                "00:00-24:00",
                                "thu",
                                "00:00-24:00",
                                "fri",
                                "00:00-24:00",
                                "sat",
                                "00:00-24:00",
                                "sun",
                                "00:00-24:00")),
                null,
                null,
                null));
        WidgetClient.send(WidgetClient.start(tenant.slug()), "I want to talk to a human")
                .statusCode(200)
                .body("reply.text", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("away")))
                .body("state", equalTo("PENDING_HUMAN"))
                .body("awayUntil", nullValue());
    }

    private static io.restassured.response.ValidatableResponse leaveEmail(
            WidgetClient.Conversation conversation, String email) {
        return given().contentType(io.restassured.http.ContentType.JSON)
                .header("Authorization", "Bearer " + conversation.token())
                .body(Map.of("email", email))
                .post("/api/v1/widget/{tenant}/conversations/{id}/email", conversation.tenant(), conversation.id())
                .then();
    }

    private static String answer(WidgetClient.Conversation conversation, String question) {
        return WidgetClient.send(conversation, question)
                .statusCode(200)
                .body("reply.role", equalTo("bot"))
                .extract()
                .path("reply.id");
    }

    @Test
    void askingForAPersonOrATenantKeywordHandsOffWithoutAskingTheModel() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation asking = WidgetClient.start(tenant.slug());
        WidgetClient.send(asking, "Quiero hablar con una persona")
                .statusCode(200)
                .body("reply.role", equalTo("system"))
                .body("state", equalTo("PENDING_HUMAN"));
        WidgetClient.Conversation angry = WidgetClient.start(tenant.slug());
        WidgetClient.send(angry, "I am filing a Chargeback today")
                .statusCode(200)
                .body("state", equalTo("PENDING_HUMAN"));

        assertThat(stored.conversation(asking.id())).containsEntry("escalation_reason", "customer_request");
        assertThat(stored.conversation(angry.id())).containsEntry("escalation_reason", "keyword");
        assertThat(stored.of(asking.id())).extracting(row -> row.get("role")).containsExactly("customer", "system");
    }

    @Test
    void anAgentTakesOverRepliesLiveHandsBackAndCloses() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        try (WidgetSocketClient customer = WidgetSocketClient.connect(baseUri, tenant.slug(), conversation.token())) {
            customer.sendMessage("talk to a human please");
            assertThat(customer.until("reply")
                            .getLast()
                            .path("message")
                            .path("role")
                            .asText())
                    .isEqualTo("system");
            assertThat(customer.next().path("state").asText()).isEqualTo("PENDING_HUMAN");

            as(agent)
                    .post(CONVERSATION + "/assign", tenant.slug(), conversation.id())
                    .then()
                    .statusCode(200)
                    .body("state", equalTo("HUMAN"));
            assertThat(customer.next().path("type").asText()).isEqualTo("system_message");
            assertThat(customer.next().path("state").asText()).isEqualTo("HUMAN");

            customer.sendMessage("are you there?");
            JsonNode afterTakeover = customer.next();
            assertThat(afterTakeover.path("type").asText())
                    .as("no bot reply while a person owns it")
                    .isEqualTo("state");
            assertThat(afterTakeover.path("state").asText()).isEqualTo("HUMAN");

            as(agent)
                    .body(Map.of("text", "Hi, I'm Sam. I'll sort this out."))
                    .post(CONVERSATION + "/messages", tenant.slug(), conversation.id())
                    .then()
                    .statusCode(200);
            JsonNode reply = customer.next();
            assertThat(reply.path("type").asText()).isEqualTo("agent_message");
            assertThat(reply.path("message").path("text").asText()).isEqualTo("Hi, I'm Sam. I'll sort this out.");
            assertThat(reply.path("message").path("role").asText()).isEqualTo("agent");
            assertThat(customer.next().path("state").asText()).isEqualTo("HUMAN");

            as(agent)
                    .post(CONVERSATION + "/release", tenant.slug(), conversation.id())
                    .then()
                    .statusCode(200)
                    .body("state", equalTo("BOT"));
            assertThat(customer.next().path("type").asText()).isEqualTo("system_message");
            assertThat(customer.next().path("state").asText()).isEqualTo("BOT");
            customer.sendMessage("thanks");
            assertThat(customer.until("reply")
                            .getLast()
                            .path("message")
                            .path("text")
                            .asText())
                    .isEqualTo("You said: thanks");
            assertThat(customer.next().path("state").asText()).isEqualTo("BOT");

            as(agent)
                    .post(CONVERSATION + "/close", tenant.slug(), conversation.id())
                    .then()
                    .statusCode(200)
                    .body("state", equalTo("CLOSED"));
            assertThat(customer.next().path("type").asText()).isEqualTo("system_message");
            assertThat(customer.next().path("state").asText()).isEqualTo("CLOSED");
            customer.sendMessage("one more thing");
            assertThat(customer.next().path("problem").path("type").asText())
                    .isEqualTo("urn:switchboard:problem:conflict");
        }
        as(agent)
                .get(CONVERSATION, tenant.slug(), conversation.id())
                .then()
                .statusCode(200)
                .body("conversation.state", equalTo("CLOSED"))
                .body("messages.role", hasItem("agent"))
                .body("messages.find { it.role == 'bot' }.model", equalTo("echo"))
                .body("messages.find { it.role == 'bot' }.inputTokens", equalTo(42))
                .body("messages.find { it.role == 'customer' }.model", nullValue());

        String prefix = "switchboard.conversation.";
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(stored.eventsOf(conversation.id()))
                        .as("every change is an event, published in order")
                        .allMatch(event -> event.get("published_at") != null)
                        .extracting(event -> ((String) event.get("type")).substring(prefix.length()))
                        .containsExactly(
                                "started",
                                "message-created",
                                "escalated",
                                "message-created",
                                "assigned",
                                "message-created",
                                "message-created",
                                "message-created",
                                "released",
                                "message-created",
                                "message-created",
                                "message-created",
                                "closed",
                                "message-created"));
    }

    @Test
    void aTakeoverWhileTheModelIsAnsweringSilencesTheBot() throws Exception {
        TenantSettings tenant = tenants.withStubModel("slow");
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        // The slow stub takes about 2.4 s for this answer: the agent takes over in the middle of it.
        java.util.concurrent.CompletableFuture<io.restassured.response.Response> turn =
                java.util.concurrent.CompletableFuture.supplyAsync(() ->
                        WidgetClient.send(conversation, "hi there").extract().response());
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> stored.of(conversation.id()).size() == 1);
        as(agent)
                .post(CONVERSATION + "/assign", tenant.slug(), conversation.id())
                .then()
                .statusCode(200);

        io.restassured.response.Response response = turn.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("state")).isEqualTo("HUMAN");
        assertThat(response.jsonPath().getString("reply")).isNull();
        assertThat(stored.of(conversation.id()))
                .extracting(row -> row.get("role"))
                .containsExactly("customer", "system");
    }

    @Test
    void onlyTheOwnerOrAnAdminReplies() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String owner = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        String colleague = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        as(owner)
                .body(Map.of("text", "too early"))
                .post(CONVERSATION + "/messages", tenant.slug(), conversation.id())
                .then()
                .statusCode(409);
        as(owner)
                .post(CONVERSATION + "/assign", tenant.slug(), conversation.id())
                .then()
                .statusCode(200);
        as(colleague)
                .post(CONVERSATION + "/assign", tenant.slug(), conversation.id())
                .then()
                .statusCode(409);
        as(colleague)
                .body(Map.of("text", "me too"))
                .post(CONVERSATION + "/messages", tenant.slug(), conversation.id())
                .then()
                .statusCode(403);
        as(admin)
                .body(Map.of("text", "An admin steps in"))
                .post(CONVERSATION + "/messages", tenant.slug(), conversation.id())
                .then()
                .statusCode(200);
        as(owner)
                .body(Map.of("text", ""))
                .post(CONVERSATION + "/messages", tenant.slug(), conversation.id())
                .then()
                .statusCode(422);

        assertThat(stored.of(conversation.id()))
                .extracting(row -> row.get("text"))
                .containsExactly("A person from our team joined the conversation.", "An admin steps in");
    }

    @Test
    void agentsOfAnotherTenantSeeNothing() {
        TenantSettings a = tenants.withStubModel("echo");
        TenantSettings b = tenants.withStubModel("echo");
        String agentOfA = AdminClient.newKey(platformKey, a.slug(), "agent");
        WidgetClient.Conversation ofB = WidgetClient.start(b.slug());
        WidgetClient.send(ofB, "private").statusCode(200);

        as(agentOfA).get(CONVERSATION, b.slug(), ofB.id()).then().statusCode(404);
        as(agentOfA).get(CONVERSATION, a.slug(), ofB.id()).then().statusCode(404);
        as(agentOfA).post(CONVERSATION + "/assign", a.slug(), ofB.id()).then().statusCode(404);
        as(agentOfA)
                .body(Map.of("text", "hi"))
                .post(CONVERSATION + "/messages", a.slug(), ofB.id())
                .then()
                .statusCode(404);
        as(agentOfA)
                .get("/api/v1/tenants/{tenant}/conversations", a.slug())
                .then()
                .statusCode(200)
                .body("id", org.hamcrest.Matchers.not(hasItem(ofB.id())));
        assertThat(stored.conversation(ofB.id())).containsEntry("state", "BOT").containsEntry("assignee", null);
    }
}
