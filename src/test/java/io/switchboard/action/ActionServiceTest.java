package io.switchboard.action;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.platform.Secrets;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The assistant's side of actions against a real tenant API: who the customer is comes from the
 * platform, arguments are checked against the schema, calls are signed, failures end in their
 * kind, writes wait for confirmation, and every call is listed with secrets masked.
 */
@QuarkusTest
class ActionServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACTIONS = ActionResourceTest.ACTIONS;

    @Inject
    TestTenants tenants;

    @Inject
    ActionService actions;

    @Inject
    MeterRegistry metrics;

    /** The application's mapper, which reads the API's timestamps. */
    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    private TenantApi api;
    private TenantSettings tenant;
    private String admin;
    private UUID conversation;

    @BeforeEach
    void setUp() throws IOException {
        api = new TenantApi();
        tenant = tenants.withStubModel("echo");
        admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        conversation = UUID.fromString(WidgetClient.start(tenant.slug()).id());
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    @Test
    void aLookupIsSignedAndCarriesTheVerifiedCustomerNeverTheModelsOne() throws Exception {
        String secret = define(lookup("lookup_booking", "/bookings/{booking_id}", null));

        ActionOutcome outcome = actions.call(
                tenant.id(),
                conversation,
                "customer-42",
                "lookup_booking",
                "{\"booking_id\":\"B 17/../admin\",\"customerId\":\"customer-1\",\"include\":\"all\"}");

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.OK);
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.result().path("booking").asText()).isEqualTo("found");
        assertThat(outcome.toolResult().path("note").asText()).contains("untrusted");
        TenantApi.Request request = api.requests().get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.rawPath()).isEqualTo("/bookings/B%2017%2F..%2Fadmin");
        assertThat(request.rawQuery()).as("unknown arguments are dropped").isNull();
        assertThat(request.customerId()).isEqualTo("customer-42");
        assertThat(request.conversationId()).isEqualTo(conversation.toString());
        assertVerifiable(request, secret);
    }

    @Test
    void aWriteSendsItsArgumentsAsASignedBodyOnceTheCustomerConfirmed() throws Exception {
        String secret = define(Map.of(
                "name", "change_dates",
                "description", "Changes the dates of a booking.",
                "method", "POST",
                "url", api.url("/bookings/{booking_id}/dates"),
                "parameters",
                        Map.of(
                                "type", "object",
                                "properties",
                                        Map.of(
                                                "booking_id", Map.of("type", "string"),
                                                "nights", Map.of("type", "integer", "minimum", 1)),
                                "required", List.of("booking_id", "nights"))));
        String arguments = "{\"booking_id\":\"B-17\",\"nights\":3,\"customer_id\":\"someone-else\"}";

        ActionOutcome unconfirmed = actions.call(tenant.id(), conversation, "customer-42", "change_dates", arguments);
        assertThat(unconfirmed.kind()).isEqualTo(ActionOutcome.Kind.REFUSED);
        Preparation prepared = actions.prepare(tenant.id(), conversation, "customer-42", "change_dates", arguments);
        assertThat(prepared).isInstanceOf(Preparation.Ready.class);
        PreparedCall call = ((Preparation.Ready) prepared).call();
        assertThat(call.confirmationRequired()).isTrue();
        assertThat(call.summary()).isEqualTo("Change dates: booking_id B-17, nights 3");
        assertThat(api.requests())
                .as("nothing is written before the customer confirms")
                .isEmpty();

        ActionOutcome confirmed = actions.execute(call);

        assertThat(confirmed.kind()).isEqualTo(ActionOutcome.Kind.OK);
        assertThat(api.requests()).hasSize(1);
        TenantApi.Request request = api.requests().get(0);
        assertThat(request.rawPath()).isEqualTo("/bookings/B-17/dates");
        assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("{\"nights\":3}"));
        assertThat(request.customerId()).isEqualTo("customer-42");
        assertVerifiable(request, secret);
    }

    @Test
    void anAnonymousCustomerIsRefusedAnActionThatNeedsAVerifiedOne() {
        define(lookup("lookup_booking", "/bookings/{booking_id}", null));
        define(lookup("opening_hours", "/hours/{booking_id}", false));

        ActionOutcome outcome =
                actions.call(tenant.id(), conversation, null, "lookup_booking", "{\"booking_id\":\"B-17\"}");

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.REFUSED);
        assertThat(outcome.reason()).contains("verified customer");
        assertThat(api.requests()).isEmpty();
        assertThat(actions.tools(tenant.id(), false))
                .extracting(ToolDefinition::name)
                .containsExactly("opening_hours");
        assertThat(actions.tools(tenant.id(), true))
                .extracting(ToolDefinition::name)
                .containsExactly("lookup_booking", "opening_hours");
        assertThat(actions.tools(tenant.id(), true)
                        .get(0)
                        .parameters()
                        .path("required")
                        .get(0)
                        .asText())
                .isEqualTo("booking_id");
    }

    @Test
    void argumentsOfTheWrongTypeAreRefusedWithTheReason() {
        define(Map.of(
                "name",
                "book_nights",
                "description",
                "Books nights.",
                "method",
                "GET",
                "url",
                api.url("/nights"),
                "requiresVerifiedCustomer",
                false,
                "parameters",
                Map.of("type", "object", "properties", Map.of("nights", Map.of("type", "integer")))));

        ActionOutcome outcome = actions.call(tenant.id(), conversation, null, "book_nights", "{\"nights\":\"three\"}");

        assertThat(outcome.kind()).isEqualTo(ActionOutcome.Kind.INVALID_ARGUMENTS);
        assertThat(outcome.reason()).contains("nights").contains("integer");
        assertThat(actions.call(tenant.id(), conversation, null, "book_nights", "not json")
                        .kind())
                .isEqualTo(ActionOutcome.Kind.INVALID_ARGUMENTS);
        assertThat(actions.call(tenant.id(), conversation, null, "no_such_action", "{}")
                        .kind())
                .isEqualTo(ActionOutcome.Kind.REFUSED);
        assertThat(api.requests()).isEmpty();
        ActionOutcome fitting = actions.call(tenant.id(), conversation, null, "book_nights", "{\"nights\":2}");
        assertThat(fitting.kind()).isEqualTo(ActionOutcome.Kind.OK);
        assertThat(api.requests().get(0).rawQuery()).isEqualTo("nights=2");
    }

    @Test
    void aSlowFailingOrUnreadableApiEndsInTheMatchingFailure() {
        define(Map.of(
                "name",
                "slow",
                "description",
                "Never answers in time.",
                "method",
                "GET",
                "url",
                api.url("/slow"),
                "requiresVerifiedCustomer",
                false,
                "timeout",
                300));
        define(lookup("failing", "/failing/{booking_id}", false));
        define(lookup("text", "/text/{booking_id}", false));
        define(lookup("huge", "/huge/{booking_id}", false));
        String arguments = "{\"booking_id\":\"B-17\"}";

        ActionOutcome slow = actions.call(tenant.id(), conversation, null, "slow", "{}");
        ActionOutcome failing = actions.call(tenant.id(), conversation, null, "failing", arguments);
        ActionOutcome text = actions.call(tenant.id(), conversation, null, "text", arguments);
        ActionOutcome huge = actions.call(tenant.id(), conversation, null, "huge", arguments);

        assertThat(slow.kind()).isEqualTo(ActionOutcome.Kind.TIMEOUT);
        assertThat(slow.durationMs()).isBetween(300L, 5_000L);
        assertThat(failing.kind()).isEqualTo(ActionOutcome.Kind.HTTP_STATUS);
        assertThat(failing.status()).isEqualTo(500);
        assertThat(failing.result().path("error").asText()).isEqualTo("database down");
        assertThat(text.kind()).isEqualTo(ActionOutcome.Kind.INVALID_JSON);
        assertThat(huge.kind()).isEqualTo(ActionOutcome.Kind.TOO_LARGE);
        assertThat(huge.result()).isNull();
    }

    @Test
    void callsAreListedForAdminsWithSecretsMaskedAndMetered() throws Exception {
        String id = as(admin)
                .body(Map.of(
                        "name",
                        "pay_deposit",
                        "description",
                        "Pays the deposit of a booking.",
                        "method",
                        "POST",
                        "url",
                        api.url("/deposits"),
                        "confirm",
                        false,
                        "parameters",
                        Map.of(
                                "type",
                                "object",
                                "properties",
                                Map.of(
                                        "amount", Map.of("type", "number"),
                                        "card_number", Map.of("type", "string"),
                                        "payment",
                                                Map.of(
                                                        "type",
                                                        "object",
                                                        "properties",
                                                        Map.of("security_token", Map.of("type", "string")))))))
                .post(ACTIONS, tenant.slug())
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        ActionOutcome paid = actions.call(
                tenant.id(),
                conversation,
                "customer-42",
                "pay_deposit",
                "{\"amount\":120.5,\"card_number\":\"4111111111111111\",\"payment\":{\"security_token\":\"tok_1\"}}");
        actions.call(tenant.id(), conversation, null, "pay_deposit", "{\"amount\":1}");

        assertThat(paid.kind()).isEqualTo(ActionOutcome.Kind.OK);
        assertThat(api.requests().get(0).body()).contains("4111111111111111");
        as(admin)
                .get(ACTIONS + "/{id}/calls", tenant.slug(), id)
                .then()
                .statusCode(200)
                .body("outcome", contains("refused", "ok"))
                .body("[1].arguments.amount", equalTo(120.5f))
                .body("[1].arguments.card_number", equalTo("***"))
                .body("[1].arguments.payment.security_token", equalTo("***"))
                .body("[1].status", equalTo(200))
                .body("[1].conversationId", equalTo(conversation.toString()))
                .body("[0].reason", equalTo("the action needs a verified customer; ask the customer to sign in"));
        ActionDefinitions.ActionView action = json.readValue(
                as(admin)
                        .get(ACTIONS + "/{id}", tenant.slug(), id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString(),
                ActionDefinitions.ActionView.class);
        assertThat(
                        actions.summary(
                                action,
                                JSON.readTree(
                                        "{\"amount\":120.5,\"card_number\":\"4111111111111111\",\"note\":\"line one\\nline two\"}")))
                .isEqualTo("Pay deposit: amount 120.5, card_number ***, note line one line two");
        assertThat(metrics.counter(
                                "switchboard.actions.calls",
                                "tenant",
                                tenant.id().toString(),
                                "action",
                                "pay_deposit",
                                "outcome",
                                "ok")
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void anActionThatKeepsFailingIsSkippedWhileItsCircuitIsOpenThenTriedAgain() {
        String id = (String)
                AdminClient.defineAction(admin, tenant.slug(), lookup("flaky_lookup", "/flaky/{booking_id}", false))
                        .get("id");
        String arguments = "{\"booking_id\":\"B-1\"}";
        for (int i = 0; i < 4; i++) {
            assertThat(actions.call(tenant.id(), conversation, null, "flaky_lookup", arguments)
                            .kind())
                    .isEqualTo(ActionOutcome.Kind.HTTP_STATUS);
        }

        ActionOutcome skipped = actions.call(tenant.id(), conversation, null, "flaky_lookup", arguments);

        assertThat(skipped.kind()).isEqualTo(ActionOutcome.Kind.CIRCUIT_OPEN);
        assertThat(skipped.toolResult().path("outcome").asText()).isEqualTo("circuit_open");
        assertThat(api.requests()).as("an open circuit calls nothing").hasSize(4);
        assertThat(circuitOpen("flaky_lookup")).isEqualTo(1.0);
        as(admin)
                .get(ACTIONS + "/{id}/calls", tenant.slug(), id)
                .then()
                .statusCode(200)
                .body("[0].outcome", equalTo("circuit_open"));

        api.recover();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> actions.call(tenant.id(), conversation, null, "flaky_lookup", arguments)
                        .succeeded());
        assertThat(circuitOpen("flaky_lookup")).isEqualTo(0.0);
        assertThat(actions.call(tenant.id(), conversation, null, "flaky_lookup", arguments)
                        .kind())
                .isEqualTo(ActionOutcome.Kind.OK);
    }

    @Test
    void aRequestTheApiRefusesNeverOpensTheCircuit() {
        define(lookup("missing_lookup", "/missing/{booking_id}", false));
        for (int i = 0; i < 6; i++) {
            ActionOutcome missing =
                    actions.call(tenant.id(), conversation, null, "missing_lookup", "{\"booking_id\":\"B-404\"}");
            assertThat(missing.status()).isEqualTo(404);
        }

        assertThat(api.requests())
                .as("a 404 is the request's fault, not the API's")
                .hasSize(6);
    }

    @Test
    void everyCallOfAWriteIsAuditedWithItsOutcomeButNeverItsArguments() {
        define(lookup("lookup_booking", "/bookings/{booking_id}", false));
        Map<String, Object> write = lookup("cancel_booking", "/bookings/{booking_id}", false);
        write.putAll(Map.of("method", "DELETE", "confirm", false));
        String cancel =
                (String) AdminClient.defineAction(admin, tenant.slug(), write).get("id");

        actions.call(tenant.id(), conversation, null, "lookup_booking", "{\"booking_id\":\"SECRET-REF-1\"}");
        actions.call(tenant.id(), conversation, null, "cancel_booking", "{\"booking_id\":\"SECRET-REF-2\"}");

        String log = as(admin)
                .queryParam("action", "action.called")
                .get("/api/v1/tenants/{tenant}/audit-log", tenant.slug())
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .body("items[0].target", equalTo(cancel))
                .body("items[0].detail.name", equalTo("cancel_booking"))
                .body("items[0].detail.conversationId", equalTo(conversation.toString()))
                .body("items[0].detail.outcome", equalTo("ok"))
                .body("items[0].detail.status", equalTo(200))
                .body("items[0].detail.test", equalTo(false))
                .extract()
                .asString();
        assertThat(log).doesNotContain("SECRET-REF");
    }

    private double circuitOpen(String action) {
        return metrics.get("switchboard.actions.circuit.open")
                .tags("tenant", tenant.id().toString(), "action", action)
                .gauge()
                .value();
    }

    /** A lookup by booking id at this path of the test API; {@code verified} null keeps the default. */
    private Map<String, Object> lookup(String name, String path, Boolean verified) {
        Map<String, Object> definition = ActionResourceTest.bookingLookup(api.url(path));
        definition.put("name", name);
        if (verified != null) {
            definition.put("requiresVerifiedCustomer", verified);
        }
        return definition;
    }

    /** Creates the action through the admin API; its signing secret. */
    private String define(Map<String, Object> definition) {
        return (String)
                AdminClient.defineAction(admin, tenant.slug(), definition).get("signingSecret");
    }

    private static void assertVerifiable(TenantApi.Request request, String secret) {
        String timestamp = request.signature().replaceFirst("^t=(\\d+),v1=.*$", "$1");
        String signature = request.signature().replaceFirst("^t=\\d+,v1=", "");
        assertThat(Long.parseLong(timestamp))
                .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
        assertThat(signature)
                .as("the tenant's server can verify the signature with the action's secret")
                .isEqualTo(Secrets.hmacSha256(secret, timestamp + "." + request.body()));
    }
}
