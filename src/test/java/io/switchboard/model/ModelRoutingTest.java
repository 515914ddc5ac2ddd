package io.switchboard.model;

import static io.restassured.RestAssured.given;
import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.Management;
import io.switchboard.testing.ModelStubResource;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.StubRequests;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What protects a turn around the model call: circuits per endpoint model, a bulkhead per tenant, budgets, metering. */
@QuarkusTest
class ModelRoutingTest {

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @ConfigProperty(name = "switchboard.model.endpoints.stub.base-url")
    String stubBaseUrl;

    @ParameterizedTest
    @ValueSource(strings = {"error-500", "error-429", "error-503", "stall", "down"})
    void aPrimaryThatFailsBeforeItsFirstTokenIsReplacedByTheFallbackUnnoticed(String failure) {
        ModelRef primary = failure.equals("down") ? new ModelRef("down", "any-model") : new ModelRef("stub", failure);
        TenantSettings tenant =
                tenants.create(new ModelPolicy(primary, List.of(new ModelRef("stub", "echo")), null, null, null));

        WidgetClient.send(WidgetClient.start(tenant.slug()), "Where is my refund?")
                .statusCode(200)
                .body("reply.text", equalTo("You said: Where is my refund?"))
                .body("reply.model", equalTo("echo"))
                .body("state", equalTo("BOT"));
    }

    @Test
    void aSelfHostedResidencyNeverFallsBackToAHostedEndpoint() {
        TenantSettings tenant = tenants.create(new ModelPolicy(
                new ModelRef("stub", "error-503"),
                List.of(new ModelRef("hosted-stub", "echo")),
                null,
                ModelPolicy.Residency.SELF_HOSTED,
                null));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        WidgetClient.send(conversation, "Where is my refund?")
                .statusCode(200)
                .body("reply.role", equalTo("system"))
                .body("state", equalTo("PENDING_HUMAN"));
        assertThat(stored.of(conversation.id())).noneMatch(row -> "hosted-stub".equals(row.get("model_endpoint")));
    }

    @Test
    void aFailingModelsCircuitOpensSoTurnsSkipItThenClosesWhenItRecovers() {
        setFlaky("failing");
        TenantSettings tenant = tenants.withStubModel("flaky", new ModelRef("stub", "echo"));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        String marker = UUID.randomUUID().toString();

        for (int i = 0; i < ModelStubResource.CIRCUIT_REQUEST_VOLUME; i++) {
            WidgetClient.send(conversation, marker + " try " + i)
                    .statusCode(200)
                    .body("reply.model", equalTo("echo"));
        }
        assertThat(flakyRequestsWith(marker)).isEqualTo((long) ModelStubResource.CIRCUIT_REQUEST_VOLUME);

        WidgetClient.send(conversation, marker + " while open")
                .statusCode(200)
                .body("reply.model", equalTo("echo"))
                .body("state", equalTo("BOT"));
        assertThat(flakyRequestsWith(marker))
                .as("an open circuit does not call the model")
                .isEqualTo((long) ModelStubResource.CIRCUIT_REQUEST_VOLUME);
        assertThat(Management.metrics())
                .containsPattern("switchboard_model_failures_total\\{[^}]*reason=\"circuit_open\"[^}]*tenant=\""
                        + tenant.slug() + "\"[^}]*} 1\\.0");

        setFlaky("healthy");
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "flaky"
                        .equals(WidgetClient.send(conversation, marker + " recovered?")
                                .statusCode(200)
                                .extract()
                                .path("reply.model")));
        WidgetClient.send(conversation, marker + " again").statusCode(200).body("reply.model", equalTo("flaky"));
    }

    @Test
    void requestsTheModelRefusesDoNotOpenItsCircuitForEveryone() {
        TenantSettings tenant = tenants.withStubModel("error-400", new ModelRef("stub", "echo"));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        String marker = UUID.randomUUID().toString();

        for (int i = 0; i <= ModelStubResource.CIRCUIT_REQUEST_VOLUME; i++) {
            WidgetClient.send(conversation, marker + " try " + i)
                    .statusCode(200)
                    .body("reply.model", equalTo("echo"));
        }

        assertThat(requestsWith("error-400", marker))
                .as("every call still reaches the model: a 400 is the request's fault")
                .isEqualTo(ModelStubResource.CIRCUIT_REQUEST_VOLUME + 1L);
        assertThat(Management.metrics())
                .doesNotContainPattern("switchboard_model_failures_total\\{[^}]*reason=\"circuit_open\"[^}]*tenant=\""
                        + tenant.slug() + "\"");
    }

    @Test
    void aTenantWithAllItsModelCallsInFlightIsToldToRetryWhileOtherTenantsAreServed() throws Exception {
        TenantSettings busy = tenants.withStubModel("slow");
        TenantSettings other = tenants.withStubModel("echo");
        String busyKey = AdminClient.newKey(platformKey, busy.slug(), "agent");
        // One word, so the slow model's answer ("You said: <marker>") stays within the stub endpoint's total timeout.
        String marker = UUID.randomUUID().toString().substring(0, 8);
        ExecutorService callers = Executors.newFixedThreadPool(ModelStubResource.TENANT_CONCURRENCY);
        try {
            List<CompletableFuture<Integer>> inFlight = IntStream.range(0, ModelStubResource.TENANT_CONCURRENCY)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> complete(busyKey, marker + "-" + i).statusCode(), callers))
                    .toList();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> requestsWith("slow", marker) == ModelStubResource.TENANT_CONCURRENCY);

            Response refused = complete(busyKey, marker + "-more");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.jsonPath().getString("error.code")).isEqualTo("rate_limit_exceeded");
            // What OpenAI's clients read to wait before they retry.
            assertThat(refused.header("retry-after")).isEqualTo("1");
            assertThat(refused.header("x-ratelimit-limit-requests"))
                    .isEqualTo(String.valueOf(ModelStubResource.TENANT_CONCURRENCY));
            assertThat(refused.header("x-ratelimit-remaining-requests")).isEqualTo("0");
            assertThat(refused.header("x-ratelimit-reset-requests")).isEqualTo("1s");
            assertThat(complete(AdminClient.newKey(platformKey, other.slug(), "agent"), "meanwhile")
                            .statusCode())
                    .isEqualTo(200);

            assertThat(inFlight.stream().map(CompletableFuture::join)).containsOnly(200);
            assertThat(complete(busyKey, marker + "-after").statusCode()).isEqualTo(200);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aSpentBudgetDegradesToTheCheaperFallbackAndIsEventedOnce() {
        TenantSettings tenant = tenants.create(new ModelPolicy(
                new ModelRef("stub", "echo"),
                List.of(new ModelRef("stub", "cheap")),
                new ModelPolicy.Budget(new BigDecimal("0.00005"), ModelPolicy.OnExceeded.DEGRADE),
                null,
                null));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        // One echo answer costs about $0.0001, twice the budget.
        WidgetClient.send(conversation, "Where is my parcel?").statusCode(200).body("reply.model", equalTo("echo"));
        WidgetClient.send(conversation, "It was due Monday")
                .statusCode(200)
                .body("reply.model", equalTo("cheap"))
                .body("state", equalTo("BOT"));
        WidgetClient.send(conversation, "Any news?").statusCode(200).body("reply.model", equalTo("cheap"));

        List<Map<String, Object>> events = stored.events(tenant.id(), "switchboard.model.budget-exceeded");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("payload").toString())
                .contains("\"onExceeded\": \"degrade\"")
                .contains("\"budgetUsd\": 0.00005");
    }

    @Test
    void aSpentBudgetHandsTheConversationOffOrRefusesApiCallsWhenThePolicySaysHandoff() {
        TenantSettings tenant = tenants.create(new ModelPolicy(
                new ModelRef("stub", "echo"),
                List.of(),
                new ModelPolicy.Budget(new BigDecimal("0.00005"), ModelPolicy.OnExceeded.HANDOFF),
                null,
                null));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        WidgetClient.send(conversation, "Where is my parcel?").statusCode(200).body("reply.model", equalTo("echo"));
        WidgetClient.send(conversation, "It was due Monday")
                .statusCode(200)
                .body("reply.role", equalTo("system"))
                .body("state", equalTo("PENDING_HUMAN"));

        assertThat(stored.conversation(conversation.id())).containsEntry("escalation_reason", "budget_exceeded");
        Response refused = complete(AdminClient.newKey(platformKey, tenant.slug(), "agent"), "hello");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.jsonPath().getString("error.code")).isEqualTo("insufficient_quota");
        // A spent budget does not come back in a second: OpenAI's clients are told not to retry.
        assertThat(refused.header("x-should-retry")).isEqualTo("false");
    }

    @Test
    void callsThroughTheOpenAiEndpointAreMeteredInTheUsageReport() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String key = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        assertThat(complete(key, "hello").statusCode()).isEqualTo(200);
        assertThat(complete(key, "hello").statusCode()).isEqualTo(200);

        // 42 input tokens and 3 output tokens ("You said: hello") per call, at $1.50 and $6.00 per million.
        BigDecimal expected = new BigDecimal("0.000162");
        JsonPath usage = AdminClient.apiUsage(key, tenant.slug(), report -> report.getInt("api[0].requests") == 2);
        assertThat(usage.getString("api[0].model")).isEqualTo("echo");
        assertThat(usage.getInt("api[0].inputTokens")).isEqualTo(84);
        assertThat(usage.getInt("api[0].outputTokens")).isEqualTo(6);
        assertThat(new BigDecimal(usage.getString("api[0].costUsd"))).isEqualByComparingTo(expected);
        assertThat(new BigDecimal(usage.getString("totalCostUsd"))).isEqualByComparingTo(expected);
        assertThat(usage.getInt("conversations")).isZero();
    }

    private static Response complete(String apiKey, String text) {
        return as(apiKey)
                .body(Map.of("model", "default", "messages", List.of(Map.of("role", "user", "content", text))))
                .post("/v1/chat/completions");
    }

    private void setFlaky(String state) {
        given().baseUri(stubBaseUrl.replace("/v1", ""))
                .body(state)
                .post("/stub/flaky")
                .then()
                .statusCode(200);
    }

    private long flakyRequestsWith(String marker) {
        return requestsWith("flaky", marker);
    }

    private long requestsWith(String model, String marker) {
        return StubRequests.count(stubBaseUrl, model, marker);
    }
}
