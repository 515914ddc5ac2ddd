package io.switchboard.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.handoff.HandoffConfig;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.Management;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import io.switchboard.testing.WidgetSocketClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever goes wrong with the model, the customer gets a polite answer, the message is kept,
 * the conversation waits for a person, and the failure is counted.
 */
@QuarkusTest
class ModelFailureTest {

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @Inject
    HandoffConfig config;

    @TestHTTPResource("/")
    URI baseUri;

    @ParameterizedTest
    @ValueSource(strings = {"error-500", "error-503", "error-429", "stall", "cut", "slow"})
    void aFailingModelHandsTheConversationToAPerson(String model) {
        TenantSettings tenant = tenants.withStubModel(model);
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        WidgetClient.send(conversation, "My booking vanished")
                .statusCode(200)
                .body("message.text", equalTo("My booking vanished"))
                .body("reply.role", equalTo("system"))
                .body("reply.text", equalTo(config.handoffNotice()))
                .body("state", equalTo("PENDING_HUMAN"));

        List<Map<String, Object>> rows = stored.of(conversation.id());
        assertThat(rows).extracting(row -> row.get("role")).containsExactly("customer", "system");
        assertThat(rows.get(0)).containsEntry("text", "My booking vanished");
        assertThat(stored.conversation(conversation.id()))
                .containsEntry("state", "PENDING_HUMAN")
                .containsEntry("escalation_reason", "model_failure");
    }

    @Test
    void anAnswerNoPersonShouldReadHandsOffInsteadOfReachingTheCustomer() {
        TenantSettings tenant = tenants.withStubModel("think-only");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        WidgetClient.send(conversation, "Where is my refund?")
                .statusCode(200)
                .body("reply.role", equalTo("system"))
                .body("reply.text", equalTo(config.handoffNotice()))
                .body("state", equalTo("PENDING_HUMAN"));
        assertThat(stored.of(conversation.id()))
                .extracting(row -> row.get("role"))
                .containsExactly("customer", "system");
        assertThat(stored.conversation(conversation.id())).containsEntry("escalation_reason", "unparsable_answer");
    }

    @Test
    void anUnreachableEndpointHandsTheConversationToAPerson() {
        TenantSettings tenant = tenants.create(ModelPolicy.of(new ModelRef("down", "any-model")));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        WidgetClient.send(conversation, "Hello?")
                .statusCode(200)
                .body("reply.text", equalTo(config.handoffNotice()))
                .body("state", equalTo("PENDING_HUMAN"));
        assertThat(stored.of(conversation.id())).hasSize(2);
    }

    @Test
    void failuresAreCountedPerTenantAndReason() {
        TenantSettings tenant = tenants.withStubModel("error-500");
        WidgetClient.send(WidgetClient.start(tenant.slug()), "one").statusCode(200);
        WidgetClient.send(WidgetClient.start(tenant.slug()), "two").statusCode(200);

        String metrics = Management.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(metrics)
                .containsPattern("switchboard_model_failures_total\\{[^}]*reason=\"http_error\"[^}]*tenant=\""
                        + tenant.slug() + "\"[^}]*} 2\\.0");
        assertThat(metrics)
                .containsPattern("switchboard_turns_total\\{[^}]*outcome=\"model_failure\"[^}]*tenant=\""
                        + tenant.slug() + "\"[^}]*} 2\\.0");
    }

    @Test
    void theBotStaysSilentOnceTheConversationWaitsForAPerson() {
        TenantSettings tenant = tenants.withStubModel("error-500");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        WidgetClient.send(conversation, "first").statusCode(200).body("state", equalTo("PENDING_HUMAN"));

        WidgetClient.send(conversation, "anyone there?")
                .statusCode(200)
                .body("message.text", equalTo("anyone there?"))
                .body("reply", nullValue())
                .body("state", equalTo("PENDING_HUMAN"));
        assertThat(stored.of(conversation.id()))
                .extracting(row -> row.get("role"))
                .containsExactly("customer", "system", "customer");
    }

    @Test
    void aStalledStreamOverTheWebSocketEndsWithTheHandoffNoticeNotAHungSocket() {
        TenantSettings tenant = tenants.withStubModel("stall");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        try (WidgetSocketClient socket = WidgetSocketClient.connect(baseUri, tenant.slug(), conversation.token())) {
            socket.sendMessage("Is my host answering?");
            JsonNode reply = socket.until("reply").getLast();
            assertThat(reply.path("message").path("text").asText()).isEqualTo(config.handoffNotice());
            assertThat(socket.next().path("state").asText()).isEqualTo("PENDING_HUMAN");
        }
    }

    @Test
    void aStreamCutMidAnswerOverServerSentEventsEndsWithTheHandoffNotice() {
        TenantSettings tenant = tenants.withStubModel("cut");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        String body = WidgetClient.stream(
                conversation, "Tell me everything about refunds, partial refunds and the fees you keep when I cancel");

        assertThat(body)
                .contains("event:token")
                .contains("event:reply")
                .contains(config.handoffNotice())
                .contains("PENDING_HUMAN");
        assertThat(stored.of(conversation.id()))
                .extracting(row -> row.get("role"))
                .containsExactly("customer", "system");
    }

    @Test
    void aFallbackModelAnswersWhenThePrimaryFailsBeforeAnswering() {
        TenantSettings tenant = tenants.withStubModel("error-503", new ModelRef("stub", "echo"));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        WidgetClient.send(conversation, "Where is my refund?")
                .statusCode(200)
                .body("reply.text", equalTo("You said: Where is my refund?"))
                .body("reply.model", equalTo("echo"))
                .body("state", equalTo("BOT"));
        assertThat(stored.of(conversation.id()).get(1)).containsEntry("model_name", "echo");
    }
}
