package io.switchboard.admin;

import static io.switchboard.testing.AdminClient.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The operator adds endpoints through the API: probed first, validated against SSRF, then choosable by tenants. */
@QuarkusTest
class ModelEndpointRegistrationTest {

    private static final String ENDPOINTS = "/api/v1/model-endpoints";

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @ConfigProperty(name = "switchboard.model.endpoints.stub.base-url")
    String stubBaseUrl;

    @Test
    void aRegisteredEndpointIsProbedListedAndChosenByATenant() {
        String id = "reg-" + UUID.randomUUID().toString().substring(0, 8);
        as(platformKey)
                .body(endpoint(id, stubBaseUrl, "env:SWITCHBOARD_MODEL_KEY_STUB", "echo", "ghost"))
                .post(ENDPOINTS)
                .then()
                .statusCode(201)
                .header("Location", containsString(ENDPOINTS + "/" + id))
                .body("id", equalTo(id))
                .body("kind", equalTo("self-hosted"))
                .body("apiKeyRef", equalTo("env:SWITCHBOARD_MODEL_KEY_STUB"))
                .body("prices.echo.inputUsdPerMTok", equalTo(0.5f))
                .body("probes.echo.streams", equalTo(true))
                .body("probes.ghost.modelListed", equalTo(false));
        as(platformKey)
                .get(ENDPOINTS)
                .then()
                .statusCode(200)
                .body("id", hasItem(id))
                .body("find { it.id == '" + id + "' }.probes.echo.reportsUsage", equalTo(true));

        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        as(admin)
                .body(Map.of("primary", Map.of("endpoint", id, "model", "ghost")))
                .put("/api/v1/tenants/{t}/model-policy", tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", contains("primary"));
        as(admin)
                .body(Map.of("primary", Map.of("endpoint", id, "model", "echo")))
                .put("/api/v1/tenants/{t}/model-policy", tenant.slug())
                .then()
                .statusCode(200);
        WidgetClient.send(WidgetClient.start(tenant.slug()), "hello")
                .statusCode(200)
                .body("reply.model", equalTo("echo"))
                .body("reply.provider", equalTo(id));
    }

    @Test
    void aRegisteredEndpointIsChangedAfterAProbeAndRemovedOnceNoTenantUsesIt() {
        String id = "reg-" + UUID.randomUUID().toString().substring(0, 8);
        as(platformKey)
                .body(endpoint(id, stubBaseUrl, null, "echo"))
                .post(ENDPOINTS)
                .then()
                .statusCode(201);
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        as(admin)
                .body(Map.of("primary", Map.of("endpoint", id, "model", "echo")))
                .put("/api/v1/tenants/{t}/model-policy", tenant.slug())
                .then()
                .statusCode(200);

        // New settings that fail the probe change nothing; ones that pass replace the old at once.
        as(platformKey)
                .body(endpoint(id, stubBaseUrl, null, "ghost"))
                .put(ENDPOINTS + "/{id}", id)
                .then()
                .statusCode(422)
                .body("type", equalTo("urn:switchboard:problem:probe-failed"));
        as(platformKey).get(ENDPOINTS).then().body("find { it.id == '" + id + "' }.models", contains("echo"));
        as(platformKey)
                .body(endpoint(id, stubBaseUrl, null, "echo", "cheap"))
                .put(ENDPOINTS + "/{id}", id)
                .then()
                .statusCode(200)
                .body("models", contains("echo", "cheap"))
                .body("probes.cheap.streams", equalTo(true));
        as(admin)
                .get("/api/v1/tenants/{t}/models", tenant.slug())
                .then()
                .statusCode(200)
                .body("findAll { it.endpoint == '" + id + "' }.model", contains("echo", "cheap"));
        as(platformKey)
                .body(endpoint("other", stubBaseUrl, null, "echo"))
                .put(ENDPOINTS + "/{id}", id)
                .then()
                .statusCode(422)
                .body("errors.field", contains("id"));
        as(platformKey)
                .body(endpoint("stub", stubBaseUrl, null, "echo"))
                .put(ENDPOINTS + "/{id}", "stub")
                .then()
                .statusCode(409);

        // In use: refused, naming the tenant; once the tenant moved on, removed everywhere.
        as(platformKey)
                .delete(ENDPOINTS + "/{id}", id)
                .then()
                .statusCode(409)
                .body("detail", containsString(tenant.slug()));
        as(admin)
                .body(Map.of("primary", Map.of("endpoint", "stub", "model", "echo")))
                .put("/api/v1/tenants/{t}/model-policy", tenant.slug())
                .then()
                .statusCode(200);
        as(platformKey).delete(ENDPOINTS + "/{id}", id).then().statusCode(204);
        as(platformKey).get(ENDPOINTS).then().body("id", not(hasItem(id)));
        as(admin)
                .body(Map.of("primary", Map.of("endpoint", id, "model", "echo")))
                .put("/api/v1/tenants/{t}/model-policy", tenant.slug())
                .then()
                .statusCode(422);
        as(platformKey).delete(ENDPOINTS + "/{id}", id).then().statusCode(404);
        as(platformKey)
                .get("/api/v1/audit-log?action=model-endpoint.deleted")
                .then()
                .statusCode(200)
                .body("items.target", hasItem(id));
    }

    @Test
    void anEndpointWhoseModelsAllFailTheProbeIsRefusedAndNothingIsStored() {
        String id = "reg-" + UUID.randomUUID().toString().substring(0, 8);
        as(platformKey)
                .body(endpoint(id, stubBaseUrl, null, "ghost", "error-500"))
                .post(ENDPOINTS)
                .then()
                .statusCode(422)
                .body("type", equalTo("urn:switchboard:problem:probe-failed"))
                .body("errors.field", hasItem("models.error-500"));
        as(platformKey).get(ENDPOINTS).then().statusCode(200).body("id", not(hasItem(id)));
        as(platformKey)
                .body(endpoint(id, stubBaseUrl, null, "echo"))
                .post(ENDPOINTS)
                .then()
                .statusCode(201);
    }

    @Test
    void badEndpointsAreRefusedFieldByField() {
        for (String url : List.of(
                "http://169.254.169.254/v1",
                "http://10.0.0.7:8000/v1",
                "http://[::1]:8000/v1",
                "file:///etc/passwd",
                "ftp://models.example/v1")) {
            as(platformKey)
                    .body(endpoint("reg-ssrf", url, null, "echo"))
                    .post(ENDPOINTS)
                    .then()
                    .statusCode(422)
                    .body("type", equalTo("urn:switchboard:problem:validation-failed"))
                    .body("errors.field", contains("baseUrl"));
        }
        as(platformKey)
                .body(endpoint("stub", stubBaseUrl, null, "echo"))
                .post(ENDPOINTS)
                .then()
                .statusCode(409);
        for (String reference :
                List.of("sk-live-the-key-itself", "env:QUARKUS_DATASOURCE_PASSWORD", "env:SWITCHBOARD_MODEL_KEY_")) {
            as(platformKey)
                    .body(endpoint("reg-key", stubBaseUrl, reference, "echo"))
                    .post(ENDPOINTS)
                    .then()
                    .statusCode(422)
                    .body("errors.field", contains("apiKeyRef"));
        }
        as(platformKey)
                .body(endpoint("Bad Id", stubBaseUrl, null, "echo"))
                .post(ENDPOINTS)
                .then()
                .statusCode(422)
                .body("errors.field", contains("id"));
        Map<String, Object> noModels = endpoint("reg-empty", stubBaseUrl, null);
        as(platformKey).body(noModels).post(ENDPOINTS).then().statusCode(422).body("errors.field", contains("models"));

        TenantSettings tenant = tenants.withStubModel("echo");
        String tenantAdmin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        as(tenantAdmin)
                .body(endpoint("reg-tenant", stubBaseUrl, null, "echo"))
                .post(ENDPOINTS)
                .then()
                .statusCode(403);
        as(platformKey).get(ENDPOINTS).then().statusCode(200).body("find { it.id == 'reg-tenant' }", nullValue());
    }

    private static Map<String, Object> endpoint(String id, String baseUrl, String apiKeyRef, String... models) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "id",
                id,
                "baseUrl",
                baseUrl,
                "kind",
                "self-hosted",
                "models",
                java.util.Arrays.stream(models)
                        .map(model -> Map.of("name", model, "inputUsdPerMTok", 0.5, "outputUsdPerMTok", 1.5))
                        .toList()));
        if (apiKeyRef != null) {
            body.put("apiKeyRef", apiKeyRef);
        }
        return body;
    }
}
