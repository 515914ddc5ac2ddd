package io.switchboard.admin;

import static io.switchboard.testing.AdminClient.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.ModelStubResource;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** An endpoint is tested before tenants may choose it; a model that fails cannot be selected. */
@QuarkusTest
class ModelProbeTest {

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @Test
    void probesEachModelAndRefusesPoliciesWithAFailedOne() {
        as(platformKey)
                .post("/api/v1/model-endpoints/{id}/probe", "probe-stub")
                .then()
                .statusCode(200)
                .body("find { it.model == 'echo' }.reachable", equalTo(true))
                .body("find { it.model == 'echo' }.modelListed", equalTo(true))
                .body("find { it.model == 'echo' }.streams", equalTo(true))
                .body("find { it.model == 'echo' }.reportsUsage", equalTo(true))
                .body("find { it.model == 'error-500' }.streams", equalTo(false))
                .body("find { it.model == 'error-500' }.problem", equalTo("streaming failed: http_error"))
                .body("find { it.model == 'ghost' }.modelListed", equalTo(false));
        as(platformKey)
                .get("/api/v1/model-endpoints")
                .then()
                .statusCode(200)
                .body("find { it.id == 'probe-stub' }.probes.echo.reachable", equalTo(true));

        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        as(admin)
                .body(Map.of("primary", Map.of("endpoint", "probe-stub", "model", "error-500")))
                .put("/api/v1/tenants/{tenant}/model-policy", tenant.slug())
                .then()
                .statusCode(422)
                .body("errors[0].message", containsString("failed its last capability probe"));
        as(admin)
                .body(Map.of("primary", Map.of("endpoint", "probe-stub", "model", "echo")))
                .put("/api/v1/tenants/{tenant}/model-policy", tenant.slug())
                .then()
                .statusCode(200);
    }

    @Test
    void recordsWhichModelsCallToolsAnswerInJsonModeAcceptImagesAndEmbed() {
        String models = "find { it.model == '%s' }.capabilities.";
        as(platformKey)
                .post("/api/v1/model-endpoints/{id}/probe", ModelStubResource.CAPABLE_STUB)
                .then()
                .statusCode(200)
                .body(models.formatted("tool-caller") + "tools", equalTo(true))
                .body(models.formatted("tool-caller") + "jsonMode", equalTo(true))
                .body(models.formatted("tool-caller") + "images", equalTo(true))
                // Offered a tool, echo answers in text even when told it must call one.
                .body(models.formatted("echo") + "tools", equalTo(false))
                .body(models.formatted("echo") + "images", equalTo(true))
                .body(models.formatted("no-tools") + "tools", equalTo(false))
                .body(models.formatted("no-tools") + "jsonMode", equalTo(true))
                .body(models.formatted("text-only") + "tools", equalTo(false))
                .body(models.formatted("text-only") + "jsonMode", equalTo(false))
                .body(models.formatted("text-only") + "images", equalTo(false))
                .body(models.formatted("echo") + "embeddings", equalTo(false))
                // An embedding model does not chat, so it cannot be chosen for chat, but what it does is recorded.
                .body(models.formatted("embed") + "embeddings", equalTo(true))
                .body("find { it.model == 'embed' }.streams", equalTo(false));
        as(platformKey)
                .get("/api/v1/model-endpoints")
                .then()
                .statusCode(200)
                .body("find { it.id == 'capable-stub' }.probes.'text-only'.capabilities.images", equalTo(false))
                .body("find { it.id == 'capable-stub' }.probes.'no-tools'.capabilities.images", equalTo(true));
        // The built-in answerer is asked nothing: its provider reads text alone.
        as(platformKey)
                .post("/api/v1/model-endpoints/{id}/probe", "builtin")
                .then()
                .statusCode(200)
                .body("[0].capabilities.tools", equalTo(false))
                .body("[0].capabilities.images", equalTo(false))
                .body("[0].capabilities.embeddings", equalTo(false));

        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String choice = "find { it.endpoint == '%s' && it.model == '%s' }.capabilities.";
        as(admin)
                .get("/api/v1/tenants/{tenant}/models", tenant.slug())
                .then()
                .statusCode(200)
                .body(choice.formatted("capable-stub", "no-tools") + "tools", equalTo(false))
                .body(choice.formatted("capable-stub", "tool-caller") + "tools", equalTo(true))
                .body(choice.formatted("builtin", "retrieval") + "jsonMode", equalTo(false))
                // Never probed: not known, so requests needing it may go there.
                .body("find { it.endpoint == 'stub' && it.model == 'cheap' }.capabilities", hasEntry("tools", null));
    }

    @Test
    void anUnreachableEndpointFailsItsProbeAndOnlyThePlatformMayProbe() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");

        as(admin).post("/api/v1/model-endpoints/{id}/probe", "stub").then().statusCode(403);
        as(platformKey)
                .post("/api/v1/model-endpoints/{id}/probe", "no-such-endpoint")
                .then()
                .statusCode(404);
        as(platformKey)
                .post("/api/v1/model-endpoints/{id}/probe", "down")
                .then()
                .statusCode(200)
                .body("[0].model", equalTo("any-model"))
                .body("[0].reachable", equalTo(false))
                .body("[0].problem", org.hamcrest.Matchers.startsWith("not reachable"));
    }
}
