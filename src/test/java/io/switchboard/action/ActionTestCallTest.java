package io.switchboard.action;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.platform.Secrets;
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

/** A tenant admin tests an action against its real API and sees the exact request and response; tests are recorded as such. */
@QuarkusTest
class ActionTestCallTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACTIONS = ActionResourceTest.ACTIONS;

    @Inject
    TestTenants tenants;

    @Inject
    MeterRegistry metrics;

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
    void aTestShowsTheExactSignedRequestAndTheAnswerWithSecretsMasked() throws Exception {
        Map<String, Object> created = AdminClient.defineAction(admin, tenant.slug(), changeDates("/bookings"));
        String id = (String) created.get("id");
        String secret = (String) created.get("signingSecret");

        JsonPath tested = as(admin)
                .body(Map.of(
                        "arguments",
                        Map.of("booking_id", "B 7", "nights", 3, "card_number", "4111111111111111", "extra", "x"),
                        "customerId",
                        "customer-9"))
                .post(ACTIONS + "/{id}/test", tenant.slug(), id)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("ok"))
                .body("status", equalTo(200))
                .body("request.method", equalTo("POST"))
                .body("request.url", equalTo(api.url("/bookings/B%207/dates")))
                .body("response.status", equalTo(200))
                .extract()
                .jsonPath();

        Map<String, String> headers = tested.getMap("request.headers");
        assertThat(headers).containsEntry("Switchboard-Customer-Id", "customer-9");
        assertThat(headers.get("Switchboard-Signature")).matches("t=\\d+,v1=[0-9a-f]{64}");
        assertThat(JSON.readTree(tested.getString("request.body")))
                .as("the body as sent, the card number masked and the unknown argument dropped")
                .isEqualTo(JSON.readTree("{\"nights\":3,\"card_number\":\"***\"}"));
        assertThat(JSON.readTree(tested.getString("response.body")))
                .isEqualTo(JSON.readTree("{\"booking\":\"found\",\"nights\":3}"));
        assertThat(tested.getMap("response.headers").toString()).contains("application/json");
        assertThat(tested.prettify()).doesNotContain(secret).doesNotContain("4111111111111111");

        TenantApi.Request received = api.requests().get(0);
        assertThat(received.body()).contains("4111111111111111");
        assertThat(received.customerId()).isEqualTo("customer-9");
        assertThat(received.conversationId()).isNull();
        String timestamp = received.signature().replaceFirst("^t=(\\d+),v1=.*$", "$1");
        assertThat(headers.get("Switchboard-Signature"))
                .as("the signature shown is the one the API received and can verify")
                .isEqualTo(received.signature())
                .endsWith(Secrets.hmacSha256(secret, timestamp + "." + received.body()));

        as(admin)
                .get(ACTIONS + "/{id}/calls", tenant.slug(), id)
                .then()
                .statusCode(200)
                .body("test", contains(true))
                .body("outcome", contains("ok"))
                .body("[0].arguments.card_number", equalTo("***"))
                .body("[0].conversationId", equalTo(null));
        assertThat(metrics.counter(
                                "switchboard.actions.calls",
                                "tenant",
                                tenant.id().toString(),
                                "action",
                                "change_dates",
                                "outcome",
                                "ok")
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void aFailingApisStatusAndBodyAreShownAndAnUnreachableOneHasNoResponse() {
        String failing = (String) AdminClient.defineAction(admin, tenant.slug(), changeDates("/failing"))
                .get("id");
        as(admin)
                .body(Map.of("arguments", Map.of("booking_id", "B-1", "nights", 1)))
                .post(ACTIONS + "/{id}/test", tenant.slug(), failing)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("http_status"))
                .body("response.status", equalTo(500))
                .body("response.body", equalTo("{\"error\":\"database down\"}"))
                .body("reason", equalTo("HTTP 500"));

        Map<String, Object> closed = changeDates("/bookings");
        closed.put("name", "closed_port");
        closed.put("url", "http://127.0.0.1:9/bookings/{booking_id}/dates");
        String unreachable =
                (String) AdminClient.defineAction(admin, tenant.slug(), closed).get("id");
        as(admin)
                .body(Map.of("arguments", Map.of("booking_id", "B-1", "nights", 1)))
                .post(ACTIONS + "/{id}/test", tenant.slug(), unreachable)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("unreachable"))
                .body("request.url", equalTo("http://127.0.0.1:9/bookings/B-1/dates"))
                .body("response", equalTo(null));
    }

    @Test
    void argumentsThatDoNotFitTheSchemaAreRefusedAndNothingIsSent() {
        String id = (String) AdminClient.defineAction(admin, tenant.slug(), changeDates("/bookings"))
                .get("id");

        as(admin)
                .body(Map.of("arguments", Map.of("booking_id", "B-1", "nights", "three")))
                .post(ACTIONS + "/{id}/test", tenant.slug(), id)
                .then()
                .statusCode(422)
                .body("type", equalTo("urn:switchboard:problem:validation-failed"))
                .body("errors.field", hasItem("arguments"));
        as(admin)
                .body(Map.of("arguments", List.of(1, 2)))
                .post(ACTIONS + "/{id}/test", tenant.slug(), id)
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("arguments"));
        as(admin)
                .body(Map.of("arguments", Map.of("booking_id", "B-1", "nights", 2), "customerId", "a\nb"))
                .post(ACTIONS + "/{id}/test", tenant.slug(), id)
                .then()
                .statusCode(422);

        assertThat(api.requests()).isEmpty();
    }

    /** A write of this test API's path, with a secret-looking parameter. */
    private Map<String, Object> changeDates(String path) {
        return new java.util.HashMap<>(Map.of(
                "name", "change_dates",
                "description", "Changes the dates of a booking.",
                "method", "POST",
                "url", api.url(path + "/{booking_id}/dates"),
                "parameters",
                        Map.of(
                                "type", "object",
                                "properties",
                                        Map.of(
                                                "booking_id", Map.of("type", "string"),
                                                "nights", Map.of("type", "integer", "minimum", 1),
                                                "card_number", Map.of("type", "string")),
                                "required", List.of("booking_id", "nights"))));
    }
}
