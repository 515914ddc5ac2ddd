package io.switchboard.action;

import static io.switchboard.testing.AdminClient.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Tenant admins define actions through the admin API: defaults, the secret shown once, field-by-field validation, isolation. */
@QuarkusTest
class ActionResourceTest {

    static final String ACTIONS = "/api/v1/tenants/{tenant}/actions";

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    static Map<String, Object> bookingLookup(String url) {
        return new HashMap<>(Map.of(
                "name", "lookup_booking",
                "description", "Looks up one of the customer's bookings by its reference.",
                "method", "GET",
                "url", url,
                "parameters",
                        Map.of(
                                "type", "object",
                                "properties", Map.of("booking_id", Map.of("type", "string")),
                                "required", List.of("booking_id"))));
    }

    @Test
    void anActionIsCreatedWithDefaultsAndItsSecretIsShownOnlyOnce() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");

        String id = as(admin)
                .body(bookingLookup("http://127.0.0.1:9/bookings/{booking_id}"))
                .post(ACTIONS, tenant.slug())
                .then()
                .statusCode(201)
                .header("Location", containsString("/actions/"))
                .body("signingSecret", startsWith("acsec_"))
                .body("requiresVerifiedCustomer", equalTo(true))
                .body("confirm", equalTo(false))
                .body("timeout", equalTo(10000))
                .body("enabled", equalTo(true))
                .extract()
                .path("id");
        Map<String, Object> change = bookingLookup("http://127.0.0.1:9/bookings/{booking_id}/dates");
        change.putAll(Map.of("name", "change_dates", "method", "PATCH"));
        as(admin)
                .body(change)
                .post(ACTIONS, tenant.slug())
                .then()
                .statusCode(201)
                .body("confirm", equalTo(true));

        as(admin)
                .get(ACTIONS, tenant.slug())
                .then()
                .statusCode(200)
                .body("name", contains("change_dates", "lookup_booking"))
                .body("signingSecret", contains(nullValue(), nullValue()));
        String etag = as(admin)
                .get(ACTIONS + "/{id}", tenant.slug(), id)
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");
        Map<String, Object> replaced = bookingLookup("http://127.0.0.1:9/v2/bookings/{booking_id}");
        replaced.putAll(Map.of("enabled", false, "timeout", 2500, "requiresVerifiedCustomer", false));
        as(admin)
                .header("If-Match", etag)
                .body(replaced)
                .put(ACTIONS + "/{id}", tenant.slug(), id)
                .then()
                .statusCode(200)
                .body("url", equalTo("http://127.0.0.1:9/v2/bookings/{booking_id}"))
                .body("enabled", equalTo(false))
                .body("timeout", equalTo(2500))
                .body("requiresVerifiedCustomer", equalTo(false))
                .body("signingSecret", nullValue());
        as(admin)
                .header("If-Match", etag)
                .body(bookingLookup("http://127.0.0.1:9/bookings/{booking_id}"))
                .put(ACTIONS + "/{id}", tenant.slug(), id)
                .then()
                .statusCode(412)
                .body("type", equalTo("urn:switchboard:problem:precondition-failed"));
        as(admin)
                .get(ACTIONS + "/{id}", tenant.slug(), id)
                .then()
                .statusCode(200)
                .body("enabled", equalTo(false))
                .body("signingSecret", nullValue());
        as(admin).delete(ACTIONS + "/{id}", tenant.slug(), id).then().statusCode(204);
        as(admin).get(ACTIONS + "/{id}", tenant.slug(), id).then().statusCode(404);
    }

    @Test
    void everyWrongFieldIsNamedInTheProblem() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String url = "http://127.0.0.1:9/bookings/{booking_id}";

        refused(admin, tenant, Map.of("name", "Lookup Booking!"), "name");
        refused(admin, tenant, Map.of("description", " "), "description");
        refused(admin, tenant, Map.of("method", "TRACE"), "method");
        refused(admin, tenant, Map.of("timeout", 60_000), "timeout");
        refused(admin, tenant, Map.of("url", "http://169.254.169.254/latest/meta-data/{booking_id}"), "url");
        refused(admin, tenant, Map.of("url", "http://10.1.2.3/bookings/{booking_id}"), "url");
        refused(admin, tenant, Map.of("url", "https://{booking_id}.example.com/bookings"), "url");
        refused(admin, tenant, Map.of("url", "http://127.0.0.1:9/bookings/{booking_id}/{guest}"), "url");
        refused(admin, tenant, Map.of("parameters", Map.of("type", "string")), "parameters");
        refused(
                admin,
                tenant,
                Map.of(
                        "url",
                        "http://127.0.0.1:9/bookings",
                        "parameters",
                        Map.of(
                                "type",
                                "object",
                                "properties",
                                Map.of("booking_id", Map.of("$ref", "https://evil.example/schema.json")))),
                "parameters");
        refused(
                admin,
                tenant,
                Map.of(
                        "url",
                        "http://127.0.0.1:9/bookings",
                        "parameters",
                        Map.of("type", "object", "properties", Map.of("nights", Map.of("type", "integr")))),
                "parameters");
        as(admin)
                .body(Map.of("name", "x"))
                .post(ACTIONS, tenant.slug())
                .then()
                .statusCode(422)
                .body("type", equalTo("urn:switchboard:problem:validation-failed"))
                .body("errors.field", contains("description", "method", "url"));

        as(admin).body(bookingLookup(url)).post(ACTIONS, tenant.slug()).then().statusCode(201);
        as(admin)
                .body(bookingLookup(url))
                .post(ACTIONS, tenant.slug())
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:switchboard:problem:conflict"));
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        as(agent).get(ACTIONS, tenant.slug()).then().statusCode(403);
    }

    @Test
    void anotherTenantsActionAnswersNotFound() {
        TenantSettings tenant = tenants.withStubModel("echo");
        TenantSettings other = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String otherAdmin = AdminClient.newKey(platformKey, other.slug(), "tenant-admin");
        Map<String, Object> definition = bookingLookup("http://127.0.0.1:9/bookings/{booking_id}");
        String id = as(admin)
                .body(definition)
                .post(ACTIONS, tenant.slug())
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        as(otherAdmin).get(ACTIONS + "/{id}", other.slug(), id).then().statusCode(404);
        as(otherAdmin)
                .body(definition)
                .put(ACTIONS + "/{id}", other.slug(), id)
                .then()
                .statusCode(404);
        as(otherAdmin).get(ACTIONS + "/{id}/calls", other.slug(), id).then().statusCode(404);
        as(otherAdmin)
                .body(Map.of("arguments", Map.of("booking_id", "B-1")))
                .post(ACTIONS + "/{id}/test", other.slug(), id)
                .then()
                .statusCode(404);
        as(otherAdmin).delete(ACTIONS + "/{id}", other.slug(), id).then().statusCode(404);
        as(otherAdmin).get(ACTIONS + "/{id}", tenant.slug(), id).then().statusCode(404);
        as(otherAdmin).get(ACTIONS, other.slug()).then().statusCode(200).body("size()", equalTo(0));
        as(admin).get(ACTIONS + "/{id}", tenant.slug(), id).then().statusCode(200);
    }

    private static void refused(String admin, TenantSettings tenant, Map<String, Object> change, String field) {
        Map<String, Object> definition = bookingLookup("http://127.0.0.1:9/bookings/{booking_id}");
        definition.putAll(change);
        as(admin)
                .body(definition)
                .post(ACTIONS, tenant.slug())
                .then()
                .statusCode(422)
                .body("type", equalTo("urn:switchboard:problem:validation-failed"))
                .body("errors.field", hasItem(field));
    }
}
