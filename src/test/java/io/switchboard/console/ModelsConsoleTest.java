package io.switchboard.console;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.BrowserTest;
import io.switchboard.testing.ModelStubResource;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Paths;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A tenant admin switches the model in the console: sees what it may choose with prices, is
 * refused a hosted fallback under self-hosted residency and a stale form after a colleague's
 * change, and once saved the next conversation answers with the new model while an open one
 * keeps its own; the switch is listed with who made it.
 */
@QuarkusTest
class ModelsConsoleTest extends BrowserTest {

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI platform;

    @Test
    void anAdminSwitchesTheModelAndTheNextConversationUsesIt() {
        TenantSettings tenant = tenants.limitedTo(ModelPolicy.of(new ModelRef("stub", "echo")), "stub", "hosted-stub");
        WidgetClient.Conversation open = WidgetClient.start(tenant.slug());
        WidgetClient.send(open, "Before the switch")
                .statusCode(200)
                .body("reply.model", org.hamcrest.Matchers.equalTo("echo"));
        String adminKey = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String admin = AdminClient.newMember(adminKey, tenant.slug(), "tenant-admin");
        try (BrowserContext context = browser.newContext()) {
            Page page = logIn(context, platform, admin, AdminClient.MEMBER_PASSWORD);
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Models"))
                    .click();
            assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Available models"))
                            .getByRole(AriaRole.ROW)
                            .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("stub/cheap"))
                            .textContent())
                    .contains("$" + ModelStubResource.CHEAP_INPUT_USD_PER_MTOK + " / $"
                            + ModelStubResource.CHEAP_OUTPUT_USD_PER_MTOK);

            page.getByLabel("Primary model").selectOption("stub/cheap");
            page.getByLabel("Fallback 1").selectOption("hosted-stub/echo");
            page.getByLabel("Where models may run").selectOption("self-hosted");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save model policy"))
                    .click();
            page.locator(".field-error").getByText("hosted").first().waitFor();

            // A colleague changes the policy meanwhile: this form is stale and says so instead of overwriting.
            as(adminKey)
                    .body(Map.of(
                            "primary",
                            Map.of("endpoint", "stub", "model", "echo"),
                            "fallbacks",
                            java.util.List.of(Map.of("endpoint", "stub", "model", "slow"))))
                    .put("/api/v1/tenants/{tenant}/model-policy", tenant.slug())
                    .then()
                    .statusCode(200);
            page.getByLabel("Fallback 1").selectOption("");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save model policy"))
                    .click();
            page.getByRole(AriaRole.ALERT).getByText("changed since version").waitFor();

            page.navigate(
                    platform.resolve("/console/t/" + tenant.slug() + "/models").toString());
            page.getByLabel("Primary model").selectOption("stub/cheap");
            page.getByLabel("Fallback 1").selectOption("");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save model policy"))
                    .click();
            page.getByRole(AriaRole.STATUS).getByText("Saved").waitFor();
            assertThat(page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Recent switches"))
                            .locator("li")
                            .first()
                            .textContent())
                    .contains(admin, "stub/cheap");
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Paths.get("target", "screenshots", "models.png"))
                    .setFullPage(true));
        }
        WidgetClient.send(WidgetClient.start(tenant.slug()), "After the switch")
                .statusCode(200)
                .body("reply.model", org.hamcrest.Matchers.equalTo("cheap"));
        WidgetClient.send(open, "Still here")
                .statusCode(200)
                .body("reply.model", org.hamcrest.Matchers.equalTo("echo"));
    }
}
