package io.switchboard.insight;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Topics and knowledge gaps from real conversations with the built-in answerer: questions the help
 * centre answers fall in their article's topic, questions it has no article for come together as
 * a gap, and an agent's answer there becomes an article an admin publishes in one step.
 */
@QuarkusTest
class TopicsAndGapsTest {

    private static final String INSIGHTS = "/api/v1/tenants/{tenant}/insights";
    private static final List<String> REFUND_QUESTIONS = List.of(
            "How do I get a refund for my cancelled booking?",
            "When will my refund arrive on my credit card?",
            "Can I get my money back after cancelling a stay?");
    private static final List<String> PET_QUESTIONS = List.of(
            "Can I bring my dog to the apartment I booked?",
            "Are pets allowed in your homes? I travel with a small dog",
            "is my dog welcome at the stay or do i need a pet sitter",
            "Do hosts accept pets like dogs or cats?");

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @Test
    @SuppressWarnings("unchecked")
    void answeredQuestionsFormTheirArticlesTopicAndUnansweredOnesAGapWithADraftArticle() {
        TenantSettings tenant = tenants.homeSharingHelpCentre();
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        // One refund customer is satisfied: they mark the answer helpful and rate the conversation 4.
        WidgetClient.Conversation satisfied = WidgetClient.start(tenant.slug());
        String answer = WidgetClient.send(satisfied, REFUND_QUESTIONS.get(0))
                .statusCode(200)
                .extract()
                .path("reply.id");
        WidgetClient.markAnswer(satisfied, answer, true).statusCode(200);
        WidgetClient.rateConversation(satisfied, Map.of("score", 4)).statusCode(201);
        List<String> refunds = new ArrayList<>(List.of(satisfied.id()));
        REFUND_QUESTIONS.stream()
                .skip(1)
                .map(question -> ask(tenant, question).id())
                .forEach(refunds::add);
        List<WidgetClient.Conversation> pets =
                PET_QUESTIONS.stream().map(question -> ask(tenant, question)).toList();

        JsonPath gap = awaitGap(admin, tenant.slug(), 3);
        assertThat(gap.getList("conversationIds", String.class))
                .as("the pet questions, and none answered from an article")
                .isSubsetOf(pets.stream().map(WidgetClient.Conversation::id).toList())
                .doesNotContainAnyElementsOf(refunds);
        assertThat(gap.getString("label")).containsIgnoringCase("dog");
        assertThat(gap.getList("examples", String.class)).isSubsetOf(PET_QUESTIONS);
        assertThat(gap.getMap("reasons")).containsKey("low_confidence");
        assertThat(gap.getMap("suggestedArticle"))
                .as("no agent has answered yet")
                .isNull();

        JsonPath topics = as(admin)
                .get(INSIGHTS + "/topics", tenant.slug())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(topics.getLong("conversations")).isEqualTo(7);
        Map<String, Object> refundTopic = topics.getMap("topics.find { it.article?.title == 'Refunds' }");
        assertThat(refundTopic).as("a topic answered from the Refunds article").isNotNull();
        assertThat((List<Object>) refundTopic.get("conversationIds")).containsExactlyInAnyOrderElementsOf(refunds);
        assertThat(((Number) refundTopic.get("resolvedRate")).doubleValue()).isEqualTo(1.0);
        assertThat(((Number) refundTopic.get("csat")).doubleValue())
                .as("the one rating given")
                .isEqualTo(4.0);

        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        WidgetClient.Conversation answered = pets.stream()
                .filter(pet -> gap.getList("conversationIds", String.class).contains(pet.id()))
                .findFirst()
                .orElseThrow();
        as(agent)
                .post("/api/v1/tenants/{tenant}/conversations/{id}/assign", tenant.slug(), answered.id())
                .then()
                .statusCode(200);
        String reply = "Pets are welcome in homes whose listing says so: add them to your booking under Guests.";
        as(agent)
                .contentType("application/json")
                .body(Map.of("text", reply))
                .post("/api/v1/tenants/{tenant}/conversations/{id}/messages", tenant.slug(), answered.id())
                .then()
                .statusCode(200);
        JsonPath drafted = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> gap(admin, tenant.slug(), gap.getString("id")),
                        found -> found != null && found.getMap("suggestedArticle") != null);
        assertThat(drafted.getString("suggestedArticle.body")).isEqualTo(reply);
        assertThat(PET_QUESTIONS).contains(drafted.getString("suggestedArticle.title"));

        as(admin)
                .post(INSIGHTS + "/gaps/{id}/article", tenant.slug(), gap.getString("id"))
                .then()
                .statusCode(201)
                .body("body", equalTo(reply));
        WidgetClient.Conversation later = WidgetClient.start(tenant.slug());
        WidgetClient.send(later, "Can I bring my dog with me?")
                .statusCode(200)
                .body("reply.citations.title", hasItem(drafted.getString("suggestedArticle.title")));
    }

    @Test
    void anErasedCustomersQuestionLeavesTheGapAndAnotherTenantCannotReachIt() {
        TenantSettings tenant = tenants.homeSharingHelpCentre();
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        List<WidgetClient.Conversation> pets =
                PET_QUESTIONS.stream().map(question -> ask(tenant, question)).toList();
        JsonPath gap = awaitGap(admin, tenant.slug(), 3);
        String erased = gap.getList("conversationIds", String.class).get(0);
        int erasedIndex =
                pets.stream().map(WidgetClient.Conversation::id).toList().indexOf(erased);
        String contact = as(admin)
                .get("/api/v1/tenants/{tenant}/conversations/{id}", tenant.slug(), erased)
                .then()
                .extract()
                .path("conversation.contactId");
        as(admin)
                .delete("/api/v1/tenants/{tenant}/contacts/{id}", tenant.slug(), contact)
                .then()
                .statusCode(200);
        JsonPath after = gap(admin, tenant.slug(), gap.getString("id"));
        assertThat(after.getList("conversationIds", String.class)).doesNotContain(erased);
        assertThat(after.getList("examples", String.class)).doesNotContain(PET_QUESTIONS.get(erasedIndex));

        TenantSettings other = tenants.homeSharingHelpCentre();
        String otherAdmin = AdminClient.newKey(platformKey, other.slug(), "tenant-admin");
        as(otherAdmin)
                .get(INSIGHTS + "/gaps", other.slug())
                .then()
                .statusCode(200)
                .body("gaps.id", not(hasItem(gap.getString("id"))));
        as(otherAdmin)
                .post(INSIGHTS + "/gaps/{id}/article", other.slug(), gap.getString("id"))
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        as(otherAdmin).get(INSIGHTS + "/gaps", tenant.slug()).then().statusCode(404);
    }

    @Test
    void aPeriodThatIsNotADayIsRefused() {
        TenantSettings tenant = tenants.homeSharingHelpCentre();
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        as(admin)
                .get(INSIGHTS + "/topics?from=yesterday", tenant.slug())
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("from"));
    }

    private static WidgetClient.Conversation ask(TenantSettings tenant, String question) {
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        WidgetClient.send(conversation, question).statusCode(200);
        return conversation;
    }

    /** The tenant's largest gap, once one holds at least this many conversations. */
    private static JsonPath awaitGap(String admin, String tenant, int conversations) {
        return await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            JsonPath gaps = as(admin)
                                    .get(INSIGHTS + "/gaps", tenant)
                                    .then()
                                    .statusCode(200)
                                    .extract()
                                    .jsonPath();
                            return gaps.getList("gaps").isEmpty() ? null : gaps.setRootPath("gaps[0]");
                        },
                        gap -> gap != null && gap.getInt("conversations") >= conversations);
    }

    private static JsonPath gap(String admin, String tenant, String id) {
        JsonPath gaps = as(admin)
                .get(INSIGHTS + "/gaps", tenant)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        return gaps.getList("gaps.id", String.class).contains(id)
                ? gaps.setRootPath("gaps.find { it.id == '" + id + "' }")
                : null;
    }
}
