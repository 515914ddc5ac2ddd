package io.switchboard.console;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.BrowserTest;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A tenant admin tries a model before switching, in the console: evaluates it on past
 * conversations and sees it ranked, runs it as a canary next to the primary and promotes it, and
 * is told when a failing canary was rolled back.
 */
@QuarkusTest
class ModelSwapConsoleTest extends BrowserTest {

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI platform;

    @Test
    void anAdminEvaluatesACandidateThenCanariesAndPromotesIt() {
        TenantSettings tenant = tenants.limitedTo(ModelPolicy.of(new ModelRef("stub", "echo")), "stub");
        WidgetClient.send(WidgetClient.start(tenant.slug()), "Where is my refund?")
                .statusCode(200);
        String adminKey = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String admin = AdminClient.newMember(adminKey, tenant.slug(), "tenant-admin");
        try (BrowserContext context = browser.newContext()) {
            Page page = logIn(context, platform, admin, AdminClient.MEMBER_PASSWORD);
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Evaluations"))
                    .click();
            page.getByLabel("Candidate model").selectOption("stub/cheap");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start evaluation"))
                    .click();
            page.getByRole(AriaRole.STATUS).getByText("Started").waitFor();
            Locator ranking = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Ranking"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                page.reload();
                return ranking.count() > 0 && ranking.textContent().contains("stub/cheap");
            });
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Paths.get("target", "screenshots", "evaluations.png"))
                    .setFullPage(true));

            page.navigate(
                    platform.resolve("/console/t/" + tenant.slug() + "/models").toString());
            page.getByLabel("Try a candidate model on a share of new conversations")
                    .selectOption("stub/cheap");
            page.getByLabel("Share of new conversations (percent)").fill("50");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save model policy"))
                    .click();
            page.getByRole(AriaRole.STATUS).getByText("Saved").waitFor();
            assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Canary against primary"))
                            .textContent())
                    .contains("Conversations", "Failed turns");
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Paths.get("target", "screenshots", "canary.png"))
                    .setFullPage(true));

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Promote the canary to primary"))
                    .click();
            page.getByRole(AriaRole.STATUS).getByText("Saved").waitFor();
            assertThat(page.getByLabel("Primary model").inputValue()).isEqualTo("stub/cheap");
            assertThat(page.getByLabel("Fallback 1").inputValue()).isEqualTo("stub/echo");
        }
        WidgetClient.send(WidgetClient.start(tenant.slug()), "After the promotion")
                .statusCode(200)
                .body("reply.model", org.hamcrest.Matchers.equalTo("cheap"));
    }

    @Test
    void theModelsPageSaysWhenAFailingCanaryWasRolledBack() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String adminKey = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        as(adminKey)
                .body(Map.of(
                        "primary",
                        Map.of("endpoint", "stub", "model", "echo"),
                        "canary",
                        Map.of(
                                "model",
                                Map.of("endpoint", "stub", "model", "error-503"),
                                "percent",
                                50,
                                "rollbackWhen",
                                Map.of("minAnswers", 1))))
                .put("/api/v1/tenants/{tenant}/model-policy", tenant.slug())
                .then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            WidgetClient.send(WidgetClient.start(tenant.slug()), "Anyone there?")
                    .statusCode(200);
            return as(adminKey)
                            .get("/api/v1/tenants/{tenant}/model-policy", tenant.slug())
                            .then()
                            .extract()
                            .path("canary")
                    == null;
        });
        String admin = AdminClient.newMember(adminKey, tenant.slug(), "tenant-admin");
        try (BrowserContext context = browser.newContext()) {
            Page page = logIn(context, platform, admin, AdminClient.MEMBER_PASSWORD);
            page.navigate(
                    platform.resolve("/console/t/" + tenant.slug() + "/models").toString());
            assertThat(page.getByRole(AriaRole.ALERT).textContent())
                    .contains("stub/error-503", "rolled back automatically");
        }
    }
}
