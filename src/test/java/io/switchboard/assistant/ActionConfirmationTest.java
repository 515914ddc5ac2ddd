package io.switchboard.assistant;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.action.TenantApi;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.platform.ScopedConnections;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.Management;
import io.switchboard.testing.PlatformKeyResource;
import io.switchboard.testing.StubRequests;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import io.switchboard.testing.WidgetSocketClient;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write the assistant asks for waits for the customer: the reply carries the platform's summary
 * of it, and the tenant's real API receives the call only once the customer confirms, exactly once
 * whatever is sent after; a decline, an expired or another conversation's action is never called.
 */
@QuarkusTest
class ActionConfirmationTest {

    private static final String PROBLEM = "urn:switchboard:problem:";

    @Inject
    TestTenants tenants;

    @Inject
    ScopedConnections connections;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @ConfigProperty(name = PlatformKeyResource.WIDGET_SECRET_SETTING)
    String widgetSecret;

    @ConfigProperty(name = "switchboard.model.endpoints.stub.base-url")
    String stubBaseUrl;

    @TestHTTPResource("/")
    URI baseUri;

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
    void aWriteWaitsForTheVerifiedCustomerAndIsMadeOnceWhenTheyConfirm() {
        TenantSettings tenant = tenants.withVerifiedIdentity(
                PlatformKeyResource.WIDGET_SECRET_SETTING, false, ModelPolicy.of(new ModelRef("stub", "tool-caller")));
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        Map<String, Object> action = AdminClient.defineAction(admin, tenant.slug(), cancel("/bookings/{query}/cancel"));
        // The model's arguments name another user; the call still acts for the verified contact only.
        WidgetClient.Conversation conversation = WidgetClient.startVerified(tenant.slug(), "user-42", widgetSecret);

        String pendingId = WidgetClient.send(conversation, "user-99")
                .statusCode(200)
                .body("reply.text", startsWith("The tool said: "))
                .body("reply.text", containsString("NOT done yet"))
                .body("pendingAction.name", equalTo("cancel_booking"))
                .body("pendingAction.summary", equalTo("Cancel booking: query user-99"))
                .body("state", equalTo("BOT"))
                .extract()
                .path("pendingAction.id");
        assertThat(api.requests())
                .as("nothing is written before the customer confirms")
                .isEmpty();

        WidgetClient.decide(conversation, pendingId, "confirm")
                .statusCode(200)
                .body("message.role", equalTo("customer"))
                .body("message.text", equalTo("\u2713 Cancel booking: query user-99"))
                .body("reply.role", equalTo("bot"))
                .body("reply.text", startsWith("The tool said: "))
                .body("reply.text", containsString("\"outcome\":\"ok\""))
                .body("reply.text", containsString("\"booking\":\"found\""))
                .body("pendingAction", nullValue())
                .body("state", equalTo("BOT"));
        assertThat(api.requests()).hasSize(1);
        TenantApi.Request call = api.requests().get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.rawPath()).isEqualTo("/bookings/user-99/cancel");
        assertThat(call.customerId()).isEqualTo("user-42");
        assertThat(call.conversationId()).isEqualTo(conversation.id());

        WidgetClient.decide(conversation, pendingId, "confirm")
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "action-already-decided"));
        WidgetClient.decide(conversation, pendingId, "decline")
                .statusCode(409)
                .body("type", equalTo(PROBLEM + "action-already-decided"));
        assertThat(api.requests()).as("a confirmation is used once").hasSize(1);
        WidgetClient.read(conversation).statusCode(200).body("pendingActions", equalTo(List.of()));

        assertThat(outcomes(admin, tenant, action)).isEqualTo(List.of("ok", "confirmed", "pending"));
        as(admin)
                .get("/api/v1/tenants/{tenant}/conversations/{id}", tenant.slug(), conversation.id())
                .then()
                .statusCode(200)
                .body("pendingActions.id", equalTo(List.of(pendingId)))
                .body("pendingActions[0].summary", equalTo("Cancel booking: query user-99"))
                .body("pendingActions[0].state", equalTo("confirmed"))
                .body("actionCalls.outcome", equalTo(List.of("pending", "confirmed", "ok")));
        assertThat(Management.metrics())
                .contains("switchboard_actions_confirmations_total{action=\"cancel_booking\",decision=\"confirmed\","
                        + "tenant=\"" + tenant.id() + "\"} 1.0");
    }

    @Test
    void twoConfirmationsAtOnceMakeOneCall() throws Exception {
        TenantSettings tenant = tenants.withStubModel("tool-caller");
        WidgetClient.Conversation conversation = anonymousWithWrite(tenant, "/bookings/{query}/cancel");
        String pendingId = pendingAfter(conversation, "B-17");

        CountDownLatch ready = new CountDownLatch(2);
        ExecutorService customers = Executors.newFixedThreadPool(2);
        List<Future<Integer>> confirmations;
        try {
            confirmations = customers.invokeAll(List.of(1, 2).stream()
                    .map(i -> (Callable<Integer>) () -> {
                        ready.countDown();
                        ready.await();
                        return WidgetClient.decide(conversation, pendingId, "confirm")
                                .extract()
                                .statusCode();
                    })
                    .toList());
        } finally {
            customers.shutdown();
        }

        assertThat(List.of(confirmations.get(0).get(), confirmations.get(1).get()))
                .containsExactlyInAnyOrder(200, 409);
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void aDeclinedWriteIsNeverMadeAndTheAssistantAcknowledgesIt() {
        TenantSettings tenant = tenants.withStubModel("tool-caller");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        Map<String, Object> action = AdminClient.defineAction(admin, tenant.slug(), cancel("/bookings/{query}/cancel"));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        String pendingId = pendingAfter(conversation, "B-17");

        WidgetClient.decide(conversation, pendingId, "decline")
                .statusCode(200)
                .body("message.text", equalTo("\u2717 Cancel booking: query B-17"))
                .body("reply.role", equalTo("bot"))
                .body("reply.text", containsString("\"outcome\":\"declined\""))
                .body("reply.text", containsString("NOT done"))
                .body("state", equalTo("BOT"));
        WidgetClient.decide(conversation, pendingId, "confirm")
                .statusCode(409)
                .body("type", equalTo(PROBLEM + "action-already-decided"));

        assertThat(api.requests()).as("a declined write is never made").isEmpty();
        assertThat(outcomes(admin, tenant, action)).isEqualTo(List.of("declined", "pending"));
    }

    @Test
    void anotherConversationsOrTenantsPendingActionIsNotFound() {
        TenantSettings tenant = tenants.withStubModel("tool-caller");
        WidgetClient.Conversation conversation = anonymousWithWrite(tenant, "/bookings/{query}/cancel");
        String pendingId = pendingAfter(conversation, "B-17");
        WidgetClient.Conversation sameTenant = WidgetClient.start(tenant.slug());
        TenantSettings other = tenants.withStubModel("tool-caller");
        WidgetClient.Conversation otherTenant = WidgetClient.start(other.slug());

        WidgetClient.decide(sameTenant, pendingId, "confirm")
                .statusCode(404)
                .body("type", equalTo(PROBLEM + "not-found"));
        WidgetClient.decide(
                        new WidgetClient.Conversation(tenant.slug(), conversation.id(), sameTenant.token()),
                        pendingId,
                        "confirm")
                .statusCode(404);
        WidgetClient.decide(otherTenant, pendingId, "confirm").statusCode(404);
        WidgetClient.decide(
                        new WidgetClient.Conversation(other.slug(), conversation.id(), conversation.token()),
                        pendingId,
                        "confirm")
                .statusCode(404);
        WidgetClient.decide(conversation, UUID.randomUUID().toString(), "confirm")
                .statusCode(404);
        assertThat(api.requests()).isEmpty();

        WidgetClient.decide(conversation, pendingId, "confirm").statusCode(200);
        assertThat(api.requests())
                .as("the refused attempts did not use the confirmation")
                .hasSize(1);
    }

    @Test
    void anExpiredWriteCannotBeConfirmed() throws SQLException {
        TenantSettings tenant = tenants.withStubModel("tool-caller");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        Map<String, Object> action = AdminClient.defineAction(admin, tenant.slug(), cancel("/bookings/{query}/cancel"));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        String pendingId = pendingAfter(conversation, "B-17");
        try (Connection connection = connections.forPlatform("test: let a pending action's time pass");
                PreparedStatement expire = connection.prepareStatement(
                        "update pending_action set expires_at = now() - interval '1 second' where id = ?")) {
            expire.setObject(1, UUID.fromString(pendingId));
            assertThat(expire.executeUpdate()).isEqualTo(1);
        }

        WidgetClient.decide(conversation, pendingId, "confirm")
                .statusCode(409)
                .body("type", equalTo(PROBLEM + "action-expired"));
        WidgetClient.decide(conversation, pendingId, "decline")
                .statusCode(409)
                .body("type", equalTo(PROBLEM + "action-expired"));

        assertThat(api.requests()).isEmpty();
        assertThat(outcomes(admin, tenant, action)).isEqualTo(List.of("expired", "pending"));
    }

    @Test
    void anAnonymousCustomerIsNotOfferedAWriteForVerifiedCustomers() {
        TenantSettings tenant = tenants.withStubModel("tool-caller");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        Map<String, Object> definition = cancel("/bookings/{query}/cancel");
        definition.put("requiresVerifiedCustomer", true);
        AdminClient.defineAction(admin, tenant.slug(), definition);
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        String question = "Cancel booking " + UUID.randomUUID();

        WidgetClient.send(conversation, question)
                .statusCode(200)
                .body("reply.text", equalTo("You said: " + question))
                .body("pendingAction", nullValue());

        assertThat(StubRequests.last(stubBaseUrl, question).path("tools").isEmpty())
                .isTrue();
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void textPlantedInAToolResultYieldsANewPendingActionNeverASecondWrite() {
        TenantSettings tenant = tenants.withStubModel("tool-obeyer");
        WidgetClient.Conversation conversation = anonymousWithWrite(tenant, "/injecting/{query}");
        String first = pendingAfter(conversation, "B-17");

        String second = WidgetClient.decide(conversation, first, "confirm")
                .statusCode(200)
                .body("reply.text", containsString("\"outcome\":\"pending\""))
                .body("pendingAction.name", equalTo("cancel_booking"))
                .body("pendingAction.id", not(equalTo(first)))
                .extract()
                .path("pendingAction.id");

        assertThat(api.requests()).as("only the confirmed write").hasSize(1);
        WidgetClient.decide(conversation, second, "decline").statusCode(200);
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void theWidgetSocketAndTheStreamCarryThePendingActionAndTheSocketConfirmsIt() {
        TenantSettings tenant = tenants.withStubModel("tool-caller");
        WidgetClient.Conversation conversation = anonymousWithWrite(tenant, "/bookings/{query}/cancel");
        assertThat(WidgetClient.stream(conversation, "B-16"))
                .contains("event:reply")
                .contains("\"pendingAction\":{\"id\":\"")
                .contains("\"summary\":\"Cancel booking: query B-16\"");

        try (WidgetSocketClient socket = WidgetSocketClient.connect(baseUri, tenant.slug(), conversation.token())) {
            socket.sendMessage("B-17");
            JsonNode offered = socket.until("reply").getLast();
            assertThat(offered.path("pendingAction").path("summary").asText()).isEqualTo("Cancel booking: query B-17");
            socket.until("state");
            String actionId = offered.path("pendingAction").path("id").asText();

            socket.sendRaw("{\"type\":\"confirm\",\"actionId\":\"" + actionId + "\"}");
            List<JsonNode> answer = socket.until("reply");
            assertThat(answer).anyMatch(frame -> frame.path("type").asText().equals("token"));
            assertThat(answer.getLast().path("message").path("text").asText()).contains("\"outcome\":\"ok\"");
            socket.until("state");
            assertThat(api.requests()).extracting(TenantApi.Request::rawPath).containsExactly("/bookings/B-17/cancel");

            socket.sendRaw("{\"type\":\"decline\",\"actionId\":\"" + actionId + "\"}");
            assertThat(socket.until("error")
                            .getLast()
                            .path("problem")
                            .path("type")
                            .asText())
                    .isEqualTo(PROBLEM + "action-already-decided");
        }
        assertThat(api.requests()).hasSize(1);
    }

    /** A write for any customer, at this path of the test API, the stub's {@code query} argument in its URL. */
    private Map<String, Object> cancel(String path) {
        return api.action("cancel_booking", "POST", path, false);
    }

    /** The outcomes recorded for the action, newest first, as its admins read them. */
    private static List<String> outcomes(String admin, TenantSettings tenant, Map<String, Object> action) {
        return as(admin)
                .get("/api/v1/tenants/{tenant}/actions/{id}/calls", tenant.slug(), action.get("id"))
                .then()
                .statusCode(200)
                .extract()
                .path("outcome");
    }

    /** An anonymous customer's conversation with a tenant that has one write at this path. */
    private WidgetClient.Conversation anonymousWithWrite(TenantSettings tenant, String path) {
        AdminClient.defineAction(
                AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin"), tenant.slug(), cancel(path));
        return WidgetClient.start(tenant.slug());
    }

    /** Sends the message and returns the id of the write the reply asks the customer to confirm. */
    private static String pendingAfter(WidgetClient.Conversation conversation, String text) {
        return WidgetClient.send(conversation, text)
                .statusCode(200)
                .body("pendingAction.id", not(nullValue()))
                .extract()
                .path("pendingAction.id");
    }
}
