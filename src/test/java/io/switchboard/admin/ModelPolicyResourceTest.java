package io.switchboard.admin;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.ModelStub;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Swapping a tenant's model through the admin API, safely. */
@QuarkusTest
class ModelPolicyResourceTest {

    private static final String POLICY = "/api/v1/tenants/{tenant}/model-policy";

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @Test
    void aSwapReachesNewConversationsWhileOpenOnesKeepTheirModel() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        WidgetClient.Conversation before = WidgetClient.start(tenant.slug());
        WidgetClient.send(before, "hello").statusCode(200).body("reply.model", equalTo("echo"));

        as(admin)
                .header("If-Match", "\"1\"")
                .body(Map.of("primary", Map.of("endpoint", "stub", "model", "no-usage")))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(200)
                .header("ETag", "\"2\"")
                .body("primary.model", equalTo("no-usage"))
                .body("residency", equalTo("any"));

        WidgetClient.send(before, "still there?").statusCode(200).body("reply.model", equalTo("echo"));
        WidgetClient.Conversation after = WidgetClient.start(tenant.slug());
        WidgetClient.send(after, "hello again").statusCode(200).body("reply.model", equalTo("no-usage"));

        assertThat(stored.of(before.id()).get(3))
                .containsEntry("model_name", "echo")
                .containsEntry("model_policy_version", 1);
        assertThat(stored.of(after.id()).get(1))
                .containsEntry("model_name", "no-usage")
                .containsEntry("model_policy_version", 2);
        as(admin)
                .get(POLICY + "/versions", tenant.slug())
                .then()
                .statusCode(200)
                .body("version", contains(2, 1))
                .body("changedBy", contains(org.hamcrest.Matchers.startsWith("api-key:"), equalTo("tenants-config")));
        assertThat(stored.events(tenant.id(), "switchboard.model.policy-changed"))
                .extracting(event -> event.get("payload").toString())
                .satisfiesExactly(
                        first -> assertThat(first)
                                .contains("\"version\": 1")
                                .contains("\"changedBy\": \"tenants-config\""),
                        second -> assertThat(second).contains("\"version\": 2").contains("\"model\": \"no-usage\""));
    }

    @Test
    void aPolicyThatSwitchesOpenConversationsMovesThemToTheNewModel() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        WidgetClient.Conversation open = WidgetClient.start(tenant.slug());
        WidgetClient.send(open, "hello").statusCode(200).body("reply.model", equalTo("echo"));

        as(admin)
                .body(Map.of("primary", Map.of("endpoint", "stub", "model", "cheap"), "openConversations", "switch"))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(200)
                .body("openConversations", equalTo("switch"));

        WidgetClient.send(open, "and now?").statusCode(200).body("reply.model", equalTo("cheap"));
        assertThat(stored.of(open.id()).get(3))
                .containsEntry("model_name", "cheap")
                .containsEntry("model_policy_version", 2);
    }

    @Test
    void degradingOnABudgetNeedsAFallbackCheaperThanThePrimary() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");

        as(admin)
                .body(Map.of(
                        "primary",
                        Map.of("endpoint", "stub", "model", "cheap"),
                        "fallbacks",
                        List.of(Map.of("endpoint", "stub", "model", "echo")),
                        "budget",
                        Map.of("monthlyUsd", 5, "onExceeded", "degrade")))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", contains("budget.onExceeded"));
        as(admin)
                .body(Map.of(
                        "primary",
                        Map.of("endpoint", "stub", "model", "echo"),
                        "fallbacks",
                        List.of(Map.of("endpoint", "stub", "model", "cheap")),
                        "budget",
                        Map.of("monthlyUsd", 5, "onExceeded", "degrade")))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(200)
                .body("budget.onExceeded", equalTo("degrade"));
    }

    @Test
    void aStaleIfMatchIsRefusedAndChangesNothing() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        as(admin)
                .get(POLICY, tenant.slug())
                .then()
                .statusCode(200)
                .header("ETag", "\"1\"")
                .body("primary.model", equalTo("echo"));
        as(admin)
                .header("If-Match", "\"1\"")
                .body(Map.of("primary", Map.of("endpoint", "stub", "model", "slow")))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(200);

        as(admin)
                .header("If-Match", "\"1\"")
                .body(Map.of("primary", Map.of("endpoint", "stub", "model", "cut")))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(412)
                .body("type", equalTo("urn:switchboard:problem:precondition-failed"));
        as(admin).get(POLICY, tenant.slug()).then().header("ETag", "\"2\"").body("primary.model", equalTo("slow"));
    }

    @Test
    void unknownDisallowedOrNonResidentModelsAreRefusedFieldByField() {
        TenantSettings tenant = tenants.limitedTo(ModelPolicy.of(new ModelRef("stub", "echo")), "stub", "hosted-stub");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");

        as(admin)
                .body(Map.of("primary", Map.of("endpoint", "nowhere", "model", "x")))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("primary"));
        as(admin)
                .body(Map.of(
                        "primary",
                        Map.of("endpoint", "stub", "model", "echo"),
                        "fallbacks",
                        List.of(Map.of("endpoint", "down", "model", "any-model"))))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("fallbacks[0]"))
                .body("errors[0].message", equalTo("endpoint 'down' is not allowed for this tenant"));
        as(admin)
                .body(Map.of(
                        "primary",
                        Map.of("endpoint", "stub", "model", "echo"),
                        "residency",
                        "self-hosted",
                        "fallbacks",
                        List.of(Map.of("endpoint", "hosted-stub", "model", "echo"))))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(422)
                .body(
                        "errors[0].message",
                        equalTo("endpoint 'hosted-stub' is hosted, but the residency is self-hosted"));
        as(admin)
                .body(Map.of("fallbacks", List.of()))
                .put(POLICY, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("primary"));

        as(admin).get(POLICY, tenant.slug()).then().header("ETag", "\"1\"").body("primary.model", equalTo("echo"));
        as(admin)
                .get("/api/v1/tenants/{tenant}/models", tenant.slug())
                .then()
                .statusCode(200)
                .body("endpoint", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.oneOf("stub", "hosted-stub")))
                .body("findAll { it.endpoint == 'hosted-stub' }.kind", contains("hosted"));
    }

    @Test
    void anotherTenantsPolicyIsNotFound() {
        TenantSettings a = tenants.withStubModel("echo");
        TenantSettings b = tenants.withStubModel("echo");
        String keyOfA = AdminClient.newKey(platformKey, a.slug(), "tenant-admin");

        as(keyOfA).get(POLICY, b.slug()).then().statusCode(404);
        as(keyOfA)
                .body(Map.of("primary", Map.of("endpoint", "stub", "model", "cut")))
                .put(POLICY, b.slug())
                .then()
                .statusCode(404);
        as(keyOfA).get("/api/v1/tenants/{tenant}/models", b.slug()).then().statusCode(404);
        as(platformKey).get(POLICY, b.slug()).then().statusCode(200).body("primary.model", equalTo("echo"));
    }

    @Test
    void theOperatorSeesTheCatalogueWithPricesButNeverASecretAndTenantsDoNot() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");

        as(platformKey)
                .get("/api/v1/model-endpoints")
                .then()
                .statusCode(200)
                .body("find { it.id == 'stub' }.kind", equalTo("self-hosted"))
                .body("find { it.id == 'stub' }.prices.echo.inputUsdPerMTok", equalTo(1.5f))
                .body("find { it.id == 'hosted-stub' }.kind", equalTo("hosted"))
                .body("find { it.id == 'builtin' }.models", contains("retrieval"));
        as(admin).get("/api/v1/model-endpoints").then().statusCode(403);
    }

    @Test
    void everyCatalogueEndpointIsListedForATenantWithoutLimits() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");

        as(admin)
                .get("/api/v1/tenants/{tenant}/models", tenant.slug())
                .then()
                .statusCode(200)
                .body("findAll { it.endpoint == 'builtin' }.model", contains("retrieval"))
                .body("findAll { it.endpoint == 'stub' }.model", containsInAnyOrder(ModelStub.MODELS.toArray()));
    }
}
