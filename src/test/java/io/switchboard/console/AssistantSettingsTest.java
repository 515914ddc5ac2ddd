package io.switchboard.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.handoff.EscalationRules;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.BrowserTest;
import io.switchboard.testing.HostSite;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Paths;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A tenant admin configures the assistant in the console: the preview follows the form as they
 * type, bad values are refused next to their field with nothing saved, a save is a new version
 * the widget on the tenant's site shows at once; agents and other tenants cannot get in, and a
 * form posted without the console's CSRF token changes nothing.
 */
@QuarkusTest
class AssistantSettingsTest extends BrowserTest {

    @Inject
    TestTenants tenants;

    @Inject
    TenantService tenantService;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI platform;

    @Test
    void anAdminEditsTheGreetingSeesItInThePreviewThenInTheWidget() {
        String greeting = "Hej! Ask me about your kayak booking.";
        try (HostSite shopSite = HostSite.start();
                BrowserContext context = browser.newContext()) {
            TenantSettings tenant =
                    tenants.embeddableOn(shopSite.origin(), ModelPolicy.of(new ModelRef("stub", "echo")));
            String admin = member(tenant, "tenant-admin");
            Page page = logIn(context, platform, admin, AdminClient.MEMBER_PASSWORD);
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Assistant settings"))
                    .click();
            page.getByLabel("Greeting").fill(greeting);
            Locator preview =
                    page.getByRole(AriaRole.COMPLEMENTARY, new Page.GetByRoleOptions().setName("Widget preview"));
            preview.getByText(greeting).waitFor();

            // A colour white text is unreadable on: refused next to the field, the typed greeting kept, nothing saved.
            page.getByLabel("Colour").fill("#ffee58");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save settings"))
                    .click();
            page.locator("#widgetColour-error").getByText("too light").waitFor();
            assertThat(page.getByLabel("Greeting").inputValue()).isEqualTo(greeting);
            assertThat(page.getByLabel("Colour").getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(tenantService.findById(tenant.id()).orElseThrow().greeting())
                    .isNotEqualTo(greeting);

            // Business hours that cannot be: refused next to the days.
            page.getByLabel("Time zone").fill("Europe/Paris");
            page.getByLabel("mon").fill("18:00-09:00");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save settings"))
                    .click();
            page.locator("#hours-error").getByText("must end after it starts").waitFor();
            page.getByLabel("mon").fill("09:00-12:30, 13:30-18:00");
            page.getByLabel("Colour").fill("#7a1f5c");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save settings"))
                    .click();
            page.getByRole(AriaRole.STATUS).getByText("Saved.").waitFor();
            assertThat(page.locator("#config-version").textContent())
                    .isEqualTo(String.valueOf(tenant.configVersion() + 1));
            assertThat(page.locator(".history li").first().textContent())
                    .contains(admin, "greeting", "escalation", "widgetLook");
            assertThat(EscalationRules.of(tenantService.findById(tenant.id()).orElseThrow())
                            .businessHours()
                            .open())
                    .containsExactlyEntriesOf(java.util.Map.of("mon", "09:00-12:30,13:30-18:00"));
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Paths.get("target", "screenshots", "assistant-settings.png"))
                    .setFullPage(true));

            // The tenant's own site, with the one script tag: the widget greets with the new text in the new colour.
            Page shop = context.newPage();
            shop.navigate(shopSite.page(tenant.slug(), platform, false));
            shop.locator("button[aria-label='Open chat']").click();
            shop.locator(".msg.bot", new Page.LocatorOptions().setHasText(greeting))
                    .waitFor();
            assertThat(shop.locator("button.launcher").evaluate("b => getComputedStyle(b).backgroundColor"))
                    .isEqualTo("rgb(122, 31, 92)");
        }
    }

    @Test
    void onlyTheTenantsAdminsGetThePageAndFormsNeedTheConsolesToken() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        TenantSettings other = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.consoleSession(member(tenant, "tenant-admin"), AdminClient.MEMBER_PASSWORD);

        given().header("Cookie", admin)
                .get("/console/t/{tenant}/assistant", tenant.slug())
                .then()
                .statusCode(200)
                .body(containsString("Assistant settings"));
        given().header("Cookie", AdminClient.consoleSession(member(tenant, "agent"), AdminClient.MEMBER_PASSWORD))
                .get("/console/t/{tenant}/assistant", tenant.slug())
                .then()
                .statusCode(403);
        given().header("Cookie", admin)
                .get("/console/t/{tenant}/assistant", other.slug())
                .then()
                .statusCode(404);

        // A form another site makes the admin's browser post: no token, nothing changes.
        given().header("Cookie", admin)
                .contentType("application/x-www-form-urlencoded")
                .formParam("greeting", "Send your card number to evil.example")
                .formParam("unhelpfulAnswers", "2")
                .post("/console/t/{tenant}/assistant", tenant.slug())
                .then()
                .statusCode(400);
        assertThat(tenantService.findById(tenant.id()).orElseThrow().greeting()).doesNotContain("evil");
    }

    private String member(TenantSettings tenant, String role) {
        return AdminClient.newMemberWithPlatformKey(platformKey, tenant.slug(), role);
    }
}
