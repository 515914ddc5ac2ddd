package io.switchboard.assistant;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.action.TenantApi;
import io.switchboard.handoff.HandoffConfig;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.platform.Secrets;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.PlatformKeyResource;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.StubRequests;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bot turn that calls the tenant's actions against a real tenant API and the model stub's tool
 * calls: for the verified customer only, never a write the customer did not confirm, and a
 * failure answered honestly or handed to a person.
 */
@QuarkusTest
class ActionTurnsTest {

    private static final String ACTIONS = "/api/v1/tenants/{tenant}/actions";

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @Inject
    HandoffConfig handoff;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @ConfigProperty(name = PlatformKeyResource.WIDGET_SECRET_SETTING)
    String widgetSecret;

    @ConfigProperty(name = "switchboard.model.endpoints.stub.base-url")
    String stubBaseUrl;

    private TenantApi api;

    @BeforeEach
    void startApi() throws IOException {
        api = new TenantApi();
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    @Test
    void aVerifiedCustomersQuestionIsAnsweredFromOneSignedCallMadeForThem() {
        TenantSettings tenant = tenants.withVerifiedIdentity(
                PlatformKeyResource.WIDGET_SECRET_SETTING, false, ModelPolicy.of(new ModelRef("stub", "tool-caller")));
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        Map<String, Object> created = define(admin, tenant, lookup("lookup_booking", "/bookings/{query}", true));
        WidgetClient.Conversation conversation = WidgetClient.startVerified(tenant.slug(), "user-42", widgetSecret);

        String stream = WidgetClient.stream(conversation, "B-17");

        assertThat(stream).contains("event:token").contains("event:reply").contains("The tool said: ");
        assertThat(api.requests()).hasSize(1);
        TenantApi.Request call = api.requests().get(0);
        assertThat(call.rawPath()).isEqualTo("/bookings/B-17");
        assertThat(call.customerId()).isEqualTo("user-42");
        assertThat(call.conversationId()).isEqualTo(conversation.id());
        String timestamp = call.signature().replaceFirst("^t=(\\d+),v1=.*$", "$1");
        assertThat(call.signature())
                .endsWith("v1="
                        + Secrets.hmacSha256((String) created.get("signingSecret"), timestamp + "." + call.body()));
        WidgetClient.read(conversation)
                .statusCode(200)
                .body("messages.role", equalTo(List.of("customer", "bot")))
                .body("messages[1].text", containsString("The tool said: "))
                .body("messages[1].text", containsString("\"booking\":\"found\""));
        as(admin)
                .get(ACTIONS + "/{id}/calls", tenant.slug(), created.get("id"))
                .then()
                .statusCode(200)
                .body("outcome", equalTo(List.of("ok")))
                .body("[0].conversationId", equalTo(conversation.id()))
                .body("[0].arguments.query", equalTo("B-17"));
        as(admin)
                .get("/api/v1/tenants/{tenant}/conversations/{id}", tenant.slug(), conversation.id())
                .then()
                .statusCode(200)
                .body("actionCalls.action", equalTo(List.of("lookup_booking")))
                .body("actionCalls[0].outcome", equalTo("ok"))
                .body("actionCalls[0].status", equalTo(200));
    }

    @Test
    void anAnonymousCustomerIsNotOfferedAnActionForVerifiedCustomers() {
        TenantSettings tenant = tenants.withStubModel("tool-caller");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        define(admin, tenant, lookup("lookup_booking", "/bookings/{query}", true));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        String question = "Where is booking " + UUID.randomUUID() + "?";

        WidgetClient.send(conversation, question)
                .statusCode(200)
                .body("reply.text", equalTo("You said: " + question))
                .body("state", equalTo("BOT"));

        assertThat(StubRequests.last(stubBaseUrl, question).path("tools").isEmpty())
                .as("no tools are offered")
                .isTrue();
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void parallelCallsAllRunAndTheirResultsGoBackTogether() {
        TenantSettings tenant = tenants.withStubModel("parallel-tools");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        define(admin, tenant, lookup("lookup_booking", "/bookings/{query}", false));
        define(admin, tenant, lookup("lookup_points", "/points/{query}", false));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        WidgetClient.send(conversation, "B-17")
                .statusCode(200)
                .body("reply.text", containsString("The tools said: "))
                .body("reply.text", containsString("lookup_points"));

        assertThat(api.requests())
                .extracting(TenantApi.Request::rawPath)
                .containsExactlyInAnyOrder("/bookings/B-17", "/points/B-17");
    }

    @Test
    void aFailingActionIsAnsweredHonestly() {
        TenantSettings tenant = tenants.withStubModel("tool-caller");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        define(admin, tenant, lookup("lookup_booking", "/failing/{query}", false));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        String reply = WidgetClient.botAnswer(conversation, "B-17");

        assertThat(reply).contains("http_status").contains("500").contains("database down");
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void anActionWhoseCircuitOpenedIsAnsweredHonestlyWithoutWaitingForItsApi() {
        TenantSettings tenant = tenants.withStubModel("tool-caller");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        define(admin, tenant, lookup("lookup_booking", "/failing/{query}", false));
        for (int i = 0; i < 4; i++) {
            assertThat(WidgetClient.botAnswer(WidgetClient.start(tenant.slug()), "B-17"))
                    .contains("http_status");
        }

        String reply = WidgetClient.botAnswer(WidgetClient.start(tenant.slug()), "B-17");

        assertThat(reply).contains("circuit_open").contains("failed repeatedly");
        assertThat(api.requests())
                .as("the failing API is not called while the circuit is open")
                .hasSize(4);
    }

    @Test
    void anActionThatFailsAgainInTheTurnHandsTheConversationToAPerson() {
        TenantSettings tenant = tenants.withStubModel("tool-repeater");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        define(admin, tenant, lookup("lookup_booking", "/failing/{query}", false));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        WidgetClient.send(conversation, "B-17")
                .statusCode(200)
                .body("reply.role", equalTo("system"))
                .body("reply.text", equalTo(handoff.handoffNotice()))
                .body("state", equalTo("PENDING_HUMAN"));

        assertThat(api.requests()).hasSize(2);
        assertThat(stored.conversation(conversation.id())).containsEntry("escalation_reason", "action_failed");
    }

    @Test
    void aModelThatKeepsCallingIsStoppedAtTheTenantsLimitAndHandedToAPerson() {
        TenantSettings tenant = tenants.withStubModel("tool-repeater");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        as(admin)
                .body(Map.of("assistant", Map.of("limits", Map.of("maxToolCallsPerTurn", 3))))
                .patch("/api/v1/tenants/{tenant}", tenant.slug())
                .then()
                .statusCode(200);
        define(admin, tenant, lookup("lookup_booking", "/bookings/{query}", false));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        WidgetClient.send(conversation, "B-17").statusCode(200).body("state", equalTo("PENDING_HUMAN"));

        assertThat(api.requests()).hasSize(3);
        assertThat(stored.conversation(conversation.id())).containsEntry("escalation_reason", "action_failed");
    }

    /** A lookup by the stub's {@code query} argument at this path of the test API. */
    private Map<String, Object> lookup(String name, String path, boolean verified) {
        return api.action(name, "GET", path, verified);
    }

    private static Map<String, Object> define(String admin, TenantSettings tenant, Map<String, Object> definition) {
        return AdminClient.defineAction(admin, tenant.slug(), definition);
    }
}
