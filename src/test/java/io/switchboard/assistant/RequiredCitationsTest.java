package io.switchboard.assistant;

import static io.switchboard.testing.AdminClient.as;
import static io.switchboard.testing.TestTenants.BAKERY;
import static io.switchboard.testing.TestTenants.KAYAK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.handoff.HandoffConfig;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.Management;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A tenant that requires citations shows a language model's reply only when it cites a passage
 * ([n], as the prompt asks); otherwise the customer gets the knowledge base's own answer, or a
 * person when the knowledge base does not answer either, and the conversation records why.
 */
@QuarkusTest
class RequiredCitationsTest {

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @Inject
    HandoffConfig handoff;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    /** A tenant answered by the stub's echo model (which cites only what the customer wrote) that requires citations. */
    private TenantSettings requiringCitations() {
        TenantSettings tenant = tenants.withArticles(ModelPolicy.of(new ModelRef("stub", "echo")), KAYAK, BAKERY);
        as(platformKey)
                .body(Map.of("assistant", Map.of("requireCitations", true)))
                .patch("/api/v1/tenants/{tenant}", tenant.slug())
                .then()
                .statusCode(200)
                .body("assistant.requireCitations", equalTo(true));
        return tenant;
    }

    @Test
    void aReplyWithoutACitationIsReplacedByTheKnowledgeBasesAnswerBeforeTheCustomerSeesIt() {
        TenantSettings tenant = requiringCitations();
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        String stream = WidgetClient.stream(conversation, "when do I need to bring back the kayak I rented?");
        assertThat(stream).doesNotContain("You said").contains("boathouse before 6 pm");

        WidgetClient.read(conversation)
                .statusCode(200)
                .body("messages[1].role", equalTo("bot"))
                .body("messages[1].text", startsWith("From **Returning a kayak** (How to return a kayak):"))
                .body("messages[1].citations[0].url", equalTo("https://help.example/kayak-returns"))
                .body("state", equalTo("BOT"));
        assertThat(stored.conversation(conversation.id())).containsEntry("flagged_reason", "uncited_reply");
        assertThat(Management.metrics())
                .contains(
                        "switchboard_assistant_uncited_total{outcome=\"retrieval\",tenant=\"" + tenant.slug() + "\"}");
    }

    @Test
    void aReplyThatCitesAPassageIsShown() {
        TenantSettings tenant = requiringCitations();
        String question = "Where do I return the kayak? [1]";

        WidgetClient.send(WidgetClient.start(tenant.slug()), question)
                .statusCode(200)
                .body("reply.text", equalTo("You said: " + question))
                .body("reply.citations", hasSize(1))
                .body("reply.citations[0].url", equalTo("https://help.example/kayak-returns"))
                .body("state", equalTo("BOT"));
    }

    @Test
    void aReplyWithoutACitationTheKnowledgeBaseCannotReplaceGoesToAPerson() {
        TenantSettings tenant = requiringCitations();
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        WidgetClient.send(conversation, "what is the capital of Australia?")
                .statusCode(200)
                .body("reply.role", equalTo("system"))
                .body("reply.text", equalTo(handoff.connectingNotice()))
                .body("state", equalTo("PENDING_HUMAN"));
        assertThat(stored.conversation(conversation.id())).containsEntry("escalation_reason", "ungrounded");
        assertThat(stored.of(conversation.id()))
                .extracting(row -> row.get("role"))
                .containsExactly("customer", "system");
    }

    @Test
    void withoutTheSettingAReplyWithoutACitationIsShown() {
        TenantSettings tenant = tenants.withArticles(ModelPolicy.of(new ModelRef("stub", "echo")), KAYAK, BAKERY);

        WidgetClient.send(WidgetClient.start(tenant.slug()), "when do I need to bring back the kayak I rented?")
                .statusCode(200)
                .body("reply.text", equalTo("You said: when do I need to bring back the kayak I rented?"));
        as(platformKey)
                .get("/api/v1/tenants/{tenant}", tenant.slug())
                .then()
                .statusCode(200)
                .body("assistant.requireCitations", equalTo(false));
    }
}
