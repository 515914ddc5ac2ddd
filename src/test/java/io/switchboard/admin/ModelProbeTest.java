package io.switchboard.admin;

import static io.switchboard.testing.AdminClient.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
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
