package io.switchboard.insight;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.Management;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.data.Offset;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * "How did we do?" and the quality grade of each conversation: a rating is taken once, after the
 * customer was asked; analytics count the ratings given; every conversation gets a grade its
 * agents can filter by; nothing of it crosses tenants.
 */
@QuarkusTest
class InsightsTest {

    private static final String CONVERSATIONS = "/api/v1/tenants/{tenant}/conversations";
    private static final String ANALYTICS = "/api/v1/tenants/{tenant}/analytics";

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @Test
    void aClosedConversationIsRatedOnceAndTheRatingIsPublished() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = closedAfterAnAnswerTo(tenant, "Where is my parcel?");

        survey(conversation).statusCode(200).body("asked", equalTo(true)).body("score", nullValue());
        WidgetClient.rateConversation(conversation, Map.of("score", 4, "comment", "  Quick and friendly  "))
                .statusCode(201)
                .body("score", equalTo(4))
                .body("comment", equalTo("Quick and friendly"));
        WidgetClient.rateConversation(conversation, Map.of("score", 1))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:switchboard:problem:already-rated"));

        survey(conversation).statusCode(200).body("score", equalTo(4));
        assertThat(Management.given().get("/q/metrics").then().extract().asString())
                .contains("switchboard_conversations_rated_total{score=\"4\",tenant=\"" + tenant.slug() + "\"} 1.0");
        List<Map<String, Object>> events = stored.events(tenant.id(), "switchboard.conversation.rated");
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().get("payload").toString())
                .contains("\"score\": 4")
                .contains("Quick and friendly");
    }

    @Test
    void anOpenConversationIsRatedOnlyOnceTheAssistantResolvedIt() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        String answer = WidgetClient.send(conversation, "Can I pay by card?")
                .statusCode(200)
                .extract()
                .path("reply.id");

        survey(conversation).statusCode(200).body("asked", equalTo(false));
        WidgetClient.rateConversation(conversation, Map.of("score", 5))
                .statusCode(409)
                .body("type", equalTo("urn:switchboard:problem:rating-not-asked"));

        WidgetClient.markAnswer(conversation, answer, true).statusCode(200);
        survey(conversation)
                .statusCode(200)
                .body("asked", equalTo(true))
                .body("texts.question", equalTo("How did we do?"));
        WidgetClient.rateConversation(conversation, Map.of("score", 5)).statusCode(201);
    }

    @Test
    void theSurveyIsAskedInTheCustomersLanguage() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation =
                closedAfterAnAnswerTo(tenant, "Wo ist mein Paket? Ich warte schon seit einer Woche darauf.");

        survey(conversation)
                .statusCode(200)
                .body("texts.question", equalTo("Wie waren wir?"))
                .body("texts.star", equalTo("{score} von 5"));
    }

    @Test
    void aRatingIsAScoreFromOneToFiveWithAShortComment() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        close(agent, tenant, conversation);

        for (Map<String, ?> invalid : List.of(
                Map.of("score", 0),
                Map.of("score", 6),
                Map.of("comment", "no score"),
                Map.of("score", 3, "comment", "x".repeat(RatingRequest.MAX_COMMENT + 1)))) {
            WidgetClient.rateConversation(conversation, invalid)
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:switchboard:problem:validation-failed"));
        }
        WidgetClient.rateConversation(conversation, Map.of("score", "three")).statusCode(400);
        survey(conversation).statusCode(200).body("score", nullValue());
        WidgetClient.rateConversation(
                        conversation, Map.of("score", 3, "comment", "x".repeat(RatingRequest.MAX_COMMENT)))
                .statusCode(201);
    }

    @Test
    void anotherConversationsTokenOrAnotherTenantFindsNothingToRate() {
        TenantSettings tenant = tenants.withStubModel("echo");
        TenantSettings other = tenants.withStubModel("echo");
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        WidgetClient.Conversation neighbour = WidgetClient.start(tenant.slug());
        close(agent, tenant, conversation);

        Map<String, Integer> body = Map.of("score", 1);
        WidgetClient.rateConversation(
                        new WidgetClient.Conversation(tenant.slug(), conversation.id(), neighbour.token()), body)
                .statusCode(404);
        WidgetClient.rateConversation(
                        new WidgetClient.Conversation(other.slug(), conversation.id(), conversation.token()), body)
                .statusCode(404);
        WidgetClient.rateConversation(
                        new WidgetClient.Conversation(
                                tenant.slug(), UUID.randomUUID().toString(), conversation.token()),
                        body)
                .statusCode(404);
        survey(conversation).statusCode(200).body("score", nullValue());
    }

    @Test
    void analyticsCountTheRatingsGivenAndTheGradesOfTheTenantsOwnConversations() {
        TenantSettings tenant = tenants.withStubModel("echo");
        TenantSettings other = tenants.withStubModel("echo");
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        List<WidgetClient.Conversation> closed = List.of(
                WidgetClient.start(tenant.slug()),
                WidgetClient.start(tenant.slug()),
                WidgetClient.start(tenant.slug()));
        for (WidgetClient.Conversation conversation : closed) {
            WidgetClient.botAnswer(conversation, "Do you ship abroad?");
            close(agent, tenant, conversation);
        }
        WidgetClient.rateConversation(closed.get(0), Map.of("score", 5)).statusCode(201);
        WidgetClient.rateConversation(closed.get(1), Map.of("score", 2)).statusCode(201);
        WidgetClient.Conversation elsewhere = WidgetClient.start(other.slug());
        close(AdminClient.newKey(platformKey, other.slug(), "agent"), other, elsewhere);
        WidgetClient.rateConversation(elsewhere, Map.of("score", 1)).statusCode(201);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath report = analytics(admin, tenant);
            assertThat(report.getDouble("csat.average")).isEqualTo(3.5, Offset.offset(1e-6));
            assertThat(report.getLong("csat.responses")).isEqualTo(2);
            assertThat(report.getLong("csat.asked")).isEqualTo(3);
            assertThat(report.getDouble("csat.responseRate")).isEqualTo(2.0 / 3, Offset.offset(1e-6));
            assertThat(report.getList("csat.days.responses")).containsExactly(2);
            assertThat(report.getLong("grades.find { it.grade == 'good' }.conversations"))
                    .as("rated 5")
                    .isEqualTo(2);
            assertThat(report.getLong("grades.find { it.grade == 'poor' }.conversations"))
                    .as("rated 2")
                    .isEqualTo(1);
            assertThat(report.getDouble("grades.find { it.grade == 'poor' }.share"))
                    .isEqualTo(1.0 / 3, Offset.offset(1e-6));
        });
        assertThat(analytics(admin, tenant).getLong("conversations")).isEqualTo(3);
    }

    @Test
    void eachConversationGetsAGradeAgentsCanFilterBy() {
        TenantSettings tenant = tenants.withStubModel("echo");
        TenantSettings other = tenants.withStubModel("echo");
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");

        // Resolved by the assistant: the answer helped, nobody else was needed.
        WidgetClient.Conversation resolved = WidgetClient.start(tenant.slug());
        String answer = WidgetClient.send(resolved, "Can I pay by card?")
                .statusCode(200)
                .extract()
                .path("reply.id");
        WidgetClient.markAnswer(resolved, answer, true).statusCode(200);

        // Two answers marked unhelpful, so it went to a person.
        WidgetClient.Conversation failed = handedOffAfterTwoUnhelpfulAnswers(tenant);

        // The same question again a little later, in other words; then the answer helped.
        WidgetClient.Conversation repeated = WidgetClient.start(tenant.slug());
        WidgetClient.botAnswer(repeated, "How do I cancel my reservation?");
        WidgetClient.botAnswer(repeated, "What time is check-in at the house?");
        String last = WidgetClient.send(repeated, "How can I cancel my reservation?")
                .statusCode(200)
                .extract()
                .path("reply.id");
        WidgetClient.markAnswer(repeated, last, true).statusCode(200);

        // Another tenant's poor conversation stays out of this tenant's list.
        handedOffAfterTwoUnhelpfulAnswers(other);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            as(agent)
                    .get(CONVERSATIONS + "/{id}", tenant.slug(), resolved.id())
                    .then()
                    .statusCode(200)
                    .body("conversation.grade", equalTo("good"))
                    .body("conversation.gradeReasons", equalTo(List.of("resolved_by_assistant")));
            as(agent)
                    .get(CONVERSATIONS + "/{id}", tenant.slug(), failed.id())
                    .then()
                    .statusCode(200)
                    .body("conversation.grade", equalTo("poor"))
                    .body(
                            "conversation.gradeReasons",
                            equalTo(List.of("unhelpful_marks:2", "handoff:unhelpful_answers")));
            as(agent)
                    .get(CONVERSATIONS + "/{id}", tenant.slug(), repeated.id())
                    .then()
                    .statusCode(200)
                    .body("conversation.grade", equalTo("fair"))
                    .body("conversation.gradeReasons", equalTo(List.of("repeated_questions:1")));
        });

        assertThat(as(agent)
                        .queryParam("grade", "poor")
                        .get(CONVERSATIONS, tenant.slug())
                        .then()
                        .statusCode(200)
                        .body("grade", org.hamcrest.Matchers.everyItem(equalTo("poor")))
                        .extract()
                        .jsonPath()
                        .getList("id"))
                .containsExactly(failed.id());
        as(agent)
                .queryParam("grade", "good")
                .get(CONVERSATIONS, tenant.slug())
                .then()
                .statusCode(200)
                .body("id", hasItem(resolved.id()))
                .body("id", org.hamcrest.Matchers.not(hasItem(failed.id())));
        as(agent)
                .queryParam("grade", "excellent")
                .get(CONVERSATIONS, tenant.slug())
                .then()
                .statusCode(422);

        // The person who took over closed it and the customer was pleased: still poor, the hand-off stays.
        close(agent, tenant, failed);
        WidgetClient.rateConversation(failed, Map.of("score", 5)).statusCode(201);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> as(agent)
                        .get(CONVERSATIONS + "/{id}", tenant.slug(), failed.id())
                        .then()
                        .body("conversation.gradeReasons", hasItem("csat:5"))
                        .body("conversation.grade", equalTo("poor")));
    }

    @Test
    void erasingAContactErasesTheirCommentButKeepsTheScoreInTheFigures() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        WidgetClient.Conversation conversation = closedAfterAnAnswerTo(tenant, "Where is my parcel?");
        String comment = "My name is Ada Lovelace " + UUID.randomUUID();
        WidgetClient.rateConversation(conversation, Map.of("score", 3, "comment", comment))
                .statusCode(201);
        String contact = as(admin)
                .get(CONVERSATIONS + "/{id}", tenant.slug(), conversation.id())
                .then()
                .extract()
                .path("conversation.contactId");

        as(admin)
                .delete("/api/v1/tenants/{tenant}/contacts/{id}", tenant.slug(), contact)
                .then()
                .statusCode(200);

        assertThat(stored.events(tenant.id(), "switchboard.conversation.rated"))
                .as("the rating event carried the comment, so it goes with the contact's other events")
                .isEmpty();
        assertThat(stored.ratings(tenant.id())).singleElement().satisfies(rating -> {
            assertThat(rating.get("comment")).isNull();
            assertThat(rating.get("conversation_id")).isNull();
            assertThat(((Number) rating.get("score")).intValue()).isEqualTo(3);
        });
        assertThat(analytics(admin, tenant).getLong("csat.responses")).isEqualTo(1);
    }

    private static WidgetClient.Conversation handedOffAfterTwoUnhelpfulAnswers(TenantSettings tenant) {
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        for (String question : List.of("Where is my refund?", "Can I change my delivery address please?")) {
            String unhelpful = WidgetClient.send(conversation, question)
                    .statusCode(200)
                    .extract()
                    .path("reply.id");
            WidgetClient.markAnswer(conversation, unhelpful, false).statusCode(200);
        }
        return conversation;
    }

    /** A conversation the bot answered once and a person then closed. */
    private WidgetClient.Conversation closedAfterAnAnswerTo(TenantSettings tenant, String question) {
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        WidgetClient.botAnswer(conversation, question);
        close(AdminClient.newKey(platformKey, tenant.slug(), "agent"), tenant, conversation);
        return conversation;
    }

    private static void close(String agent, TenantSettings tenant, WidgetClient.Conversation conversation) {
        as(agent)
                .post(CONVERSATIONS + "/{id}/close", tenant.slug(), conversation.id())
                .then()
                .statusCode(200);
    }

    private static io.restassured.response.ValidatableResponse survey(WidgetClient.Conversation conversation) {
        return io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + conversation.token())
                .get("/api/v1/widget/{tenant}/conversations/{id}/rating", conversation.tenant(), conversation.id())
                .then();
    }

    private static JsonPath analytics(String admin, TenantSettings tenant) {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        return as(admin)
                .queryParam("from", today)
                .queryParam("to", today)
                .get(ANALYTICS, tenant.slug())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
