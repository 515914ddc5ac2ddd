package io.switchboard.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.BrowserTest;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Paths;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A tenant admin manages the team in the console: adds an agent who can then log in (a short
 * password refused next to its field), creates an API key shown once that then works, revokes it
 * and removes the agent, after which neither gets in.
 */
@QuarkusTest
class TeamConsoleTest extends BrowserTest {

    private static final String AGENT_PASSWORD = "a long agent password";

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI platform;

    @Test
    void anAdminAddsAnAgentAndAKeyThenTakesBothAway() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newMemberWithPlatformKey(platformKey, tenant.slug(), "tenant-admin");
        String agent = "sam-" + tenant.slug();
        try (BrowserContext context = browser.newContext()) {
            Page page = logIn(context, platform, admin, AdminClient.MEMBER_PASSWORD);
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Team"))
                    .click();

            page.getByLabel("Username").fill(agent);
            page.getByLabel("Password").fill("short");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add member"))
                    .click();
            page.locator("#password-error").waitFor();
            assertThat(page.getByLabel("Username").inputValue()).isEqualTo(agent);
            page.getByLabel("Password").fill(AGENT_PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add member"))
                    .click();
            page.getByRole(AriaRole.STATUS).getByText("Added " + agent).waitFor();
            assertThat(login(agent)).as("the new agent logs in").isEqualTo(302);

            page.getByLabel("Key name").fill("CRM sync");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key"))
                    .click();
            String key = page.locator("#new-key").textContent();
            assertThat(key).startsWith("sbk_");
            given().header("Authorization", "Bearer " + key)
                    .get("/api/v1/tenants/{tenant}/conversations", tenant.slug())
                    .then()
                    .statusCode(200);
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Paths.get("target", "screenshots", "team.png"))
                    .setFullPage(true));

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke CRM sync"))
                    .click();
            page.getByRole(AriaRole.STATUS).getByText("Revoked the key").waitFor();
            assertThat(page.locator("#new-key").count())
                    .as("the key is never shown again")
                    .isZero();
            given().header("Authorization", "Bearer " + key)
                    .get("/api/v1/tenants/{tenant}/conversations", tenant.slug())
                    .then()
                    .statusCode(401);

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove " + agent))
                    .click();
            page.getByRole(AriaRole.STATUS).getByText("Removed the member").waitFor();
        }
        given().contentType("application/x-www-form-urlencoded")
                .formParam("j_username", agent)
                .formParam("j_password", AGENT_PASSWORD)
                .redirects()
                .follow(false)
                .post("/j_security_check")
                .then()
                .statusCode(302)
                .header("Location", org.hamcrest.Matchers.containsString("/console/login?error"));
    }

    private static int login(String username) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("j_username", username)
                .formParam("j_password", AGENT_PASSWORD)
                .redirects()
                .follow(false)
                .post("/j_security_check")
                .then()
                .header("Location", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("error")))
                .extract()
                .statusCode();
    }
}
