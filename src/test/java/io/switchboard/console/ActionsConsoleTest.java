package io.switchboard.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.action.TenantApi;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.BrowserTest;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant admin manages actions in the console against a real tenant API: adds one, tests it and
 * reads the exact request and the answer, disables it, imports two more from an uploaded OpenAPI
 * document (a pasted one that is not YAML is refused) and deletes one; an agent then reads the bot's action call inline in the transcript.
 */
@QuarkusTest
class ActionsConsoleTest extends BrowserTest {

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI platform;

    private TenantApi api;

    @BeforeEach
    void startApi() throws IOException {
        api = new TenantApi();
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    @Test
    void anAdminAddsAnActionAndTestsItAgainstTheRealApi() {
        TenantSettings tenant = tenants.withStubModel("tool-caller");
        String admin = AdminClient.newMemberWithPlatformKey(platformKey, tenant.slug(), "tenant-admin");
        try (BrowserContext context = browser.newContext()) {
            Page page = logIn(context, platform, admin, AdminClient.MEMBER_PASSWORD);
            page.getByRole(
                            AriaRole.LINK,
                            new Page.GetByRoleOptions().setName("Actions").setExact(true))
                    .click();
            page.getByText("No actions yet.").waitFor();

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Add an action"))
                    .click();
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("lookup_booking");
            page.getByLabel("Description").fill("Looks up one of the customer's bookings by its reference.");
            page.getByLabel("URL", new Page.GetByLabelOptions().setExact(true)).fill(api.url("/bookings/{query}"));
            page.getByLabel("Parameters (JSON Schema)")
                    .fill(
                            "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"}},\"required\":[\"query\"]}");
            page.getByLabel("Only for verified customers").uncheck();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save action"))
                    .click();
            Locator secrets = page.getByRole(AriaRole.STATUS, new Page.GetByRoleOptions().setName("Signing secrets"));
            assertThat(secrets.textContent()).contains("lookup_booking").contains("acsec_");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("lookup_booking"))
                    .click();
            page.getByLabel("Sample arguments (JSON)").fill("{\"query\": \"B 17\", \"ignored\": true}");
            page.getByLabel("Customer id").fill("customer-7");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run test"))
                    .click();
            Locator result = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Test result"));
            result.getByText("Outcome ok").waitFor();
            String request = result.getByLabel("Request").textContent();
            assertThat(request)
                    .contains("GET " + api.url("/bookings/B%2017"))
                    .containsPattern("Switchboard-Signature: t=\\d+,v1=[0-9a-f]{64}")
                    .contains("Switchboard-Customer-Id: customer-7");
            assertThat(result.getByLabel("Response").textContent())
                    .contains("HTTP 200")
                    .contains("{\"booking\":\"found\",\"nights\":3}");
            page.screenshot(
                    new Page.ScreenshotOptions().setPath(Paths.get("target", "screenshots", "action-test.png")));
            assertThat(api.requests()).hasSize(1);
            assertThat(api.requests().get(0).customerId()).isEqualTo("customer-7");

            // A customer's turn calls it; the agent reads the call inline in the transcript.
            WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
            assertThat(WidgetClient.botAnswer(conversation, "B-17")).contains("found");
            page.navigate(platform.resolve("/console/t/" + tenant.slug() + "/conversations/" + conversation.id())
                    .toString());
            Locator call = page.getByRole(
                    AriaRole.LISTITEM, new Page.GetByRoleOptions().setName("Action call lookup_booking"));
            assertThat(call.textContent())
                    .contains("\"query\":\"B-17\"")
                    .contains("ok (HTTP 200)")
                    .contains(" ms");

            page.navigate(
                    platform.resolve("/console/t/" + tenant.slug() + "/actions").toString());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Disable lookup_booking"))
                    .click();
            page.getByRole(AriaRole.STATUS)
                    .getByText("Disabled “lookup_booking”.")
                    .waitFor();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Enable lookup_booking"))
                    .waitFor();
        }
    }

    @Test
    void anotherTenantsActionIsNotFoundInTheConsole() {
        TenantSettings tenant = tenants.withStubModel("echo");
        TenantSettings other = tenants.withStubModel("echo");
        String adminKey = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String id = (String) AdminClient.defineAction(
                        adminKey,
                        tenant.slug(),
                        Map.of(
                                "name", "lookup_booking",
                                "description", "Looks up a booking.",
                                "method", "GET",
                                "url", api.url("/bookings")))
                .get("id");
        String otherAdmin = AdminClient.consoleSession(
                AdminClient.newMemberWithPlatformKey(platformKey, other.slug(), "tenant-admin"),
                AdminClient.MEMBER_PASSWORD);
        String ownAdmin = AdminClient.consoleSession(
                AdminClient.newMemberWithPlatformKey(platformKey, tenant.slug(), "tenant-admin"),
                AdminClient.MEMBER_PASSWORD);

        given().header("Cookie", otherAdmin)
                .get("/console/t/{tenant}/actions/{id}", other.slug(), id)
                .then()
                .statusCode(404);
        given().header("Cookie", ownAdmin)
                .get("/console/t/{tenant}/actions/{id}", tenant.slug(), id)
                .then()
                .statusCode(200);
    }

    @Test
    void anAdminImportsChosenOperationsFromAnUploadedOpenApiDocument() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newMemberWithPlatformKey(platformKey, tenant.slug(), "tenant-admin");
        // Longer than a form field's default limit (2 KB), as real documents are.
        String document = api.openApi(api.url("/")) + "x-notes: \"" + "n".repeat(4000) + "\"\n";
        try (BrowserContext context = browser.newContext()) {
            Page page = logIn(context, platform, admin, AdminClient.MEMBER_PASSWORD);
            page.navigate(
                    platform.resolve("/console/t/" + tenant.slug() + "/actions").toString());

            page.getByLabel("OpenAPI 3 document (JSON or YAML)").fill("openapi: [3");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Preview operations"))
                    .click();
            page.locator("#document-error")
                    .getByText("neither JSON nor YAML", new Locator.GetByTextOptions())
                    .waitFor();

            page.getByLabel("OpenAPI 3 document (JSON or YAML)").fill("");
            page.getByLabel("OpenAPI file")
                    .setInputFiles(new FilePayload(
                            "bookings.yaml", "application/yaml", document.getBytes(StandardCharsets.UTF_8)));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Preview operations"))
                    .click();
            Locator operations = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Operations"));
            assertThat(operations.textContent())
                    .contains("get_booking_by_id")
                    .contains("GET " + api.url("/bookings/{booking_id}"))
                    .contains("change_dates")
                    .contains("booking_id, checkIn, nights");
            page.getByLabel("get_booking_by_id").check();
            page.getByLabel("change_dates").check();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Import chosen operations"))
                    .click();

            page.getByText("Imported 2 action(s).").waitFor();
            assertThat(page.getByRole(AriaRole.STATUS, new Page.GetByRoleOptions().setName("Signing secrets"))
                            .textContent())
                    .contains("change_dates")
                    .contains("get_booking_by_id");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete change_dates"))
                    .click();
            page.getByRole(AriaRole.STATUS)
                    .getByText("Deleted “change_dates” and its calls.")
                    .waitFor();
            assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Actions"))
                            .textContent())
                    .contains("get_booking_by_id")
                    .doesNotContain("change_dates");
        }
    }
}
