package io.switchboard.action;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A tenant admin imports actions from an OpenAPI 3 document: a preview first, then the chosen operations, all or none. */
@QuarkusTest
class ActionImportTest {

    private static final String IMPORT = ActionResourceTest.ACTIONS + "/import";

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    private TenantApi api;
    private TenantSettings tenant;
    private String admin;

    @BeforeEach
    void setUp() throws IOException {
        api = new TenantApi();
        tenant = tenants.withStubModel("echo");
        admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    @Test
    void aPreviewShowsEachOperationAsTheActionItWouldBecomeAndCreatesNothing() {
        as(admin)
                .body(Map.of("document", api.openApi(api.url("/"))))
                .post(IMPORT, tenant.slug())
                .then()
                .statusCode(200)
                .body("title", equalTo("Bookings"))
                .body("operations.name", contains("get_booking_by_id", "change_dates"))
                .body("operations[0].method", equalTo("GET"))
                .body("operations[0].url", equalTo(api.url("/bookings/{booking_id}")))
                .body("operations[0].description", equalTo("Looks up one of the customer's bookings."))
                .body("operations[0].confirm", equalTo(false))
                .body("operations[0].parameters.required", contains("booking_id"))
                .body("operations[0].parameters.properties.include.enum", contains("guests", "payments"))
                .body("operations[0].notes", contains("header parameter 'X-Trace' left out"))
                .body("operations[0].problems", empty())
                .body("operations[1].url", equalTo(api.url("/bookings/{booking_id}/dates")))
                .body("operations[1].description", equalTo("Moves a booking to other dates."))
                .body("operations[1].confirm", equalTo(true))
                .body("operations[1].parameters.required", contains("booking_id", "checkIn", "nights"))
                .body("operations[1].parameters.properties.checkIn.$ref", equalTo("#/$defs/Day"))
                .body("operations[1].parameters.$defs.Day.format", equalTo("date"));

        as(admin).get(ActionResourceTest.ACTIONS, tenant.slug()).then().body("size()", equalTo(0));
    }

    @Test
    void chosenOperationsBecomeActionsThatCallTheApi() {
        String id = as(admin)
                .body(Map.of("document", api.openApi(api.url("/")), "operationIds", List.of("changeDates")))
                .post(IMPORT, tenant.slug())
                .then()
                .statusCode(201)
                .body("actions.name", contains("change_dates"))
                .body("actions[0].signingSecret", startsWith("acsec_"))
                .body("actions[0].confirm", equalTo(true))
                .extract()
                .path("actions[0].id");

        as(admin)
                .body(Map.of("arguments", Map.of("booking_id", "B 9", "checkIn", "2027-01-02", "nights", 2)))
                .post(ActionResourceTest.ACTIONS + "/{id}/test", tenant.slug(), id)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("ok"));
        assertThat(api.requests()).hasSize(1);
        assertThat(api.requests().get(0).rawPath()).isEqualTo("/bookings/B%209/dates");
        assertThat(api.requests().get(0).body()).contains("\"checkIn\":\"2027-01-02\"");
        as(admin)
                .body(Map.of("arguments", Map.of("booking_id", "B-9", "checkIn", "next tuesday", "nights", 2)))
                .post(ActionResourceTest.ACTIONS + "/{id}/test", tenant.slug(), id)
                .then()
                .statusCode(422)
                .body("detail", containsString("checkIn"));
    }

    @Test
    void namesTheTenantAlreadyUsesAreListedAndNothingIsImported() {
        AdminClient.defineAction(admin, tenant.slug(), ActionResourceTest.bookingLookup(api.url("/b/{booking_id}")));
        Map<String, Object> taken = ActionResourceTest.bookingLookup(api.url("/b/{booking_id}"));
        taken.put("name", "change_dates");
        AdminClient.defineAction(admin, tenant.slug(), taken);

        as(admin)
                .body(Map.of(
                        "document",
                        api.openApi(api.url("/")),
                        "operationIds",
                        List.of("getBookingById", "changeDates")))
                .post(IMPORT, tenant.slug())
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:switchboard:problem:conflict"))
                .body("detail", equalTo("The tenant already has actions named change_dates"));

        as(admin).get(ActionResourceTest.ACTIONS, tenant.slug()).then().body("size()", equalTo(2));
    }

    @Test
    void documentsThatCannotBeImportedAreRefusedWithTheReason() {
        refused("not: [an, openapi, document", "document", "neither JSON nor YAML");
        refused("{\"swagger\": \"2.0\"}", "document", "must be an OpenAPI 3 document");
        refused(
                api.openApi(api.url("/")).replace("'#/components/schemas/Dates'", "'https://evil.example/x.json'"),
                "document",
                "may only refer to itself");
        refused("openapi: 3.0.3\ninfo: {title: x, version: '1'}\n", "document", "is not a valid OpenAPI 3 document");
        as(admin)
                .body(Map.of("document", api.openApi(api.url("/")), "operationIds", List.of("deleteEverything")))
                .post(IMPORT, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("operationIds"))
                .body("detail", containsString("no operation 'deleteEverything'"));
        as(admin)
                .body(Map.of("document", "x".repeat(ActionImportRequest.MAX_DOCUMENT_CHARS + 1)))
                .post(IMPORT, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("document"));
    }

    @Test
    void importedUrlsPassTheSameAddressChecksAsCreatedActions() {
        String internal = api.openApi("http://169.254.169.254/latest");

        as(admin)
                .body(Map.of("document", internal))
                .post(IMPORT, tenant.slug())
                .then()
                .statusCode(200)
                .body("operations[0].problems[0]", startsWith("url: "));
        as(admin)
                .body(Map.of("document", internal, "operationIds", List.of("getBookingById")))
                .post(IMPORT, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("getBookingById"));
        as(admin)
                .body(Map.of(
                        "document", internal, "serverUrl", api.url("/v2"), "operationIds", List.of("getBookingById")))
                .post(IMPORT, tenant.slug())
                .then()
                .statusCode(201)
                .body("actions[0].url", equalTo(api.url("/v2/bookings/{booking_id}")));
    }

    private void refused(String document, String field, String detail) {
        as(admin)
                .body(Map.of("document", document))
                .post(IMPORT, tenant.slug())
                .then()
                .statusCode(422)
                .body("type", equalTo("urn:switchboard:problem:validation-failed"))
                .body("errors.field", hasItem(field))
                .body("detail", containsString(detail));
    }
}
