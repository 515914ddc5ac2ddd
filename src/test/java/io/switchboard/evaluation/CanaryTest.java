package io.switchboard.evaluation;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.Management;
import io.switchboard.testing.StubRequests;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A canary sends a share of new conversations to a candidate model; each conversation keeps its
 * model, one that fails is rolled back automatically without dropping a conversation, and a good
 * one is promoted in one call.
 */
@QuarkusTest
class CanaryTest {

    private static final String POLICY = "/api/v1/tenants/{tenant}/model-policy";
    private static final int CONVERSATIONS = 20;

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @ConfigProperty(name = "switchboard.model.endpoints.stub.base-url")
    String stubBaseUrl;

    @Test
    void aFailingCanaryIsRolledBackWithoutDroppingAConversation() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        as(admin)
                .body(policy("error-503", Map.of("minAnswers", 3)))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(200);
        String marker = UUID.randomUUID().toString();

        List<WidgetClient.Conversation> conversations = new ArrayList<>();
        for (int i = 0; i < CONVERSATIONS; i++) {
            WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
            conversations.add(conversation);
            // A canary turn that fails falls back to the primary: every customer is answered.
            WidgetClient.send(conversation, marker + " question " + i)
                    .statusCode(200)
                    .body("state", equalTo("BOT"))
                    .body("reply.model", equalTo("echo"));
        }
        assertThat(requestsWith("error-503", marker))
                .as("some conversations were drawn for the canary")
                .isPositive();

        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        as(admin).get(POLICY, tenant.slug()).then().extract().path("canary") == null);
        as(admin)
                .get(POLICY + "/versions", tenant.slug())
                .then()
                .statusCode(200)
                .body("[0].changedBy", equalTo(CanaryService.MONITOR))
                .body("[0].policy.canary", nullValue());
        as(admin)
                .get("/api/v1/tenants/{tenant}/audit-log", tenant.slug())
                .then()
                .statusCode(200)
                .body("items.action", hasItem("model-policy.canary-rolled-back"));
        as(admin).get(POLICY + "/canary", tenant.slug()).then().statusCode(404);

        long canaryCallsAtRollback = requestsWith("error-503", marker);
        for (WidgetClient.Conversation conversation : conversations) {
            WidgetClient.send(conversation, marker + " and again")
                    .statusCode(200)
                    .body("reply.model", equalTo("echo"));
        }
        assertThat(requestsWith("error-503", marker))
                .as("no turn tries the rolled-back canary")
                .isEqualTo(canaryCallsAtRollback);
        assertThat(Management.given().get("/q/metrics").then().extract().asString())
                .containsPattern("switchboard_canary_rollbacks_total\\{tenant=\"" + tenant.slug() + "\"} 1\\.0");
    }

    @Test
    void eachConversationKeepsItsModelAndAGoodCanaryIsPromotedInOneCall() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String etag = as(admin)
                .body(policy("cheap", Map.of("minAnswers", 1000)))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");

        Map<String, String> modelOf = new HashMap<>();
        for (int i = 0; i < CONVERSATIONS; i++) {
            WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
            String first = WidgetClient.send(conversation, "first question")
                    .statusCode(200)
                    .extract()
                    .path("reply.model");
            String second = WidgetClient.send(conversation, "second question")
                    .statusCode(200)
                    .extract()
                    .path("reply.model");
            assertThat(second)
                    .as("a conversation keeps the model it was drawn for")
                    .isEqualTo(first);
            modelOf.put(conversation.id(), first);
        }
        assertThat(new HashSet<>(modelOf.values())).containsExactlyInAnyOrder("echo", "cheap");
        as(admin)
                .get(POLICY + "/canary", tenant.slug())
                .then()
                .statusCode(200)
                .body("judged", equalTo(false))
                .body(
                        "canaryArm.answers",
                        equalTo(2
                                * (int) modelOf.values().stream()
                                        .filter("cheap"::equals)
                                        .count()))
                .body(
                        "primary.answers",
                        equalTo(2
                                * (int) modelOf.values().stream()
                                        .filter("echo"::equals)
                                        .count()));

        as(admin)
                .header("If-Match", etag)
                .post(POLICY + "/canary/promote", tenant.slug())
                .then()
                .statusCode(200)
                .body("primary.model", equalTo("cheap"))
                .body("fallbacks[0].model", equalTo("echo"))
                .body("canary", nullValue());
        WidgetClient.send(WidgetClient.start(tenant.slug()), "after the promotion")
                .statusCode(200)
                .body("reply.model", equalTo("cheap"));
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        for (Map.Entry<String, String> conversation : modelOf.entrySet()) {
            // Started before the promotion: still the model each was drawn for.
            boolean canary = as(agent)
                    .get("/api/v1/tenants/{tenant}/conversations/{id}", tenant.slug(), conversation.getKey())
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("conversation.canary");
            assertThat(canary).isEqualTo(conversation.getValue().equals("cheap"));
        }
        as(admin).post(POLICY + "/canary/promote", tenant.slug()).then().statusCode(409);
    }

    @Test
    void aCanaryIsValidatedLikeAnyModelOfThePolicy() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");

        as(admin)
                .body(Map.of(
                        "primary",
                        Map.of("endpoint", "stub", "model", "echo"),
                        "canary",
                        Map.of("model", Map.of("endpoint", "stub", "model", "cheap"), "percent", 0)))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("canary.percent"));
        as(admin)
                .body(Map.of(
                        "primary",
                        Map.of("endpoint", "stub", "model", "echo"),
                        "canary",
                        Map.of("model", Map.of("endpoint", "stub", "model", "echo"), "percent", 10)))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("canary.model"));
        as(admin)
                .body(Map.of(
                        "primary",
                        Map.of("endpoint", "stub", "model", "echo"),
                        "canary",
                        Map.of("model", Map.of("endpoint", "nowhere", "model", "x"), "percent", 10)))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("canary.model"));
        as(admin).get(POLICY, tenant.slug()).then().statusCode(200).body("canary", nullValue());
    }

    private static Map<String, Object> policy(String canaryModel, Map<String, Object> rollbackWhen) {
        return Map.of(
                "primary",
                Map.of("endpoint", "stub", "model", "echo"),
                "canary",
                Map.of(
                        "model",
                        Map.of("endpoint", "stub", "model", canaryModel),
                        "percent",
                        50,
                        "rollbackWhen",
                        rollbackWhen));
    }

    private long requestsWith(String model, String marker) {
        return StubRequests.count(stubBaseUrl, model, marker);
    }
}
