package io.switchboard.admin;

import static io.switchboard.testing.AdminClient.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The platform's own keys are listed (the bootstrap key marked), created and revoked like a tenant's; only a platform admin sees them. */
@QuarkusTest
class PlatformApiKeysTest {

    private static final String KEYS = "/api/v1/api-keys";

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @Test
    void aPlatformKeyIsCreatedListedAndRevokedAndStopsWorkingAtOnce() {
        String created = as(platformKey)
                .body(Map.of("name", "ci pipeline"))
                .post(KEYS)
                .then()
                .statusCode(201)
                .body("roles", equalTo(java.util.List.of("platform-admin")))
                .extract()
                .path("key");
        String id = as(created)
                .get(KEYS)
                .then()
                .statusCode(200)
                .body("find { it.name == 'bootstrap' }.bootstrap", equalTo(true))
                .body("find { it.name == 'ci pipeline' }.bootstrap", equalTo(false))
                .body("key", not(hasItem(created)))
                .extract()
                .path("find { it.name == 'ci pipeline' }.id");

        as(platformKey).delete(KEYS + "/{id}", id).then().statusCode(204);
        as(created).get("/api/v1/tenants").then().statusCode(401);
        as(platformKey).get(KEYS).then().body("id", not(hasItem(id)));
        as(platformKey)
                .get("/api/v1/audit-log?action=api-key.revoked")
                .then()
                .statusCode(200)
                .body("items.target", hasItem(id));
    }

    @Test
    void tenantKeysNeitherSeeNorRevokePlatformKeysAndPlatformRevocationSparesTenantKeys() {
        var tenant = tenants.create(TestTenants.retrieval());
        String tenantAdmin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        as(tenantAdmin).get(KEYS).then().statusCode(403);
        as(tenantAdmin).body(Map.of("name", "escalation")).post(KEYS).then().statusCode(403);
        String tenantKeyId = as(tenantAdmin)
                .get("/api/v1/tenants/{tenant}/api-keys", tenant.slug())
                .then()
                .statusCode(200)
                .extract()
                .path("[0].id");
        as(platformKey).delete(KEYS + "/{id}", tenantKeyId).then().statusCode(404);
        as(tenantAdmin)
                .get("/api/v1/tenants/{tenant}/api-keys", tenant.slug())
                .then()
                .statusCode(200);
        as(platformKey).body(Map.of("name", "")).post(KEYS).then().statusCode(422);
    }
}
