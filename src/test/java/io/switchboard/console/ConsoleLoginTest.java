package io.switchboard.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import com.microsoft.playwright.Page;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.BrowserTest;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Logging in to the console with a built-in account: in a real browser, and what the session cookie is. */
@QuarkusTest
class ConsoleLoginTest extends BrowserTest {

    private static final String PASSWORD = AdminClient.MEMBER_PASSWORD;

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.admin-password")
    String adminPassword;

    @TestHTTPResource("/")
    URI platform;

    @Test
    void anAgentLogsInSeesTheirTenantAndLogsOut() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String agent = newAgent(tenant);
        try (var context = browser.newContext()) {
            Page page = context.newPage();
            page.navigate(platform.resolve("/console").toString());
            assertThat(page.url()).endsWith("/console/login");

            page.getByLabel("Username").fill(agent);
            page.getByLabel("Password").fill("a wrong password");
            page.getByRole(
                            com.microsoft.playwright.options.AriaRole.BUTTON,
                            new Page.GetByRoleOptions().setName("Log in"))
                    .click();
            page.waitForURL("**/console/login?error*");
            page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT).waitFor();
            assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT)
                            .textContent())
                    .contains("did not match");

            page.getByLabel("Username").fill(agent);
            page.getByLabel("Password").fill(PASSWORD);
            page.getByRole(
                            com.microsoft.playwright.options.AriaRole.BUTTON,
                            new Page.GetByRoleOptions().setName("Log in"))
                    .click();
            page.getByText("Welcome, " + agent).waitFor();
            assertThat(page.url()).endsWith("/console");
            assertThat(page.textContent("main")).contains(tenant.name(), "agent");

            page.getByRole(
                            com.microsoft.playwright.options.AriaRole.BUTTON,
                            new Page.GetByRoleOptions().setName("Log out"))
                    .click();
            page.getByLabel("Username").waitFor();
            page.navigate(platform.resolve("/console").toString());
            assertThat(page.url()).endsWith("/console/login");
        }
    }

    @Test
    void theSessionCookieIsHttpOnlyAndStrictAndOpensOnlyTheConsole() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String agent = newAgent(tenant);
        given().redirects()
                .follow(false)
                .get("/console")
                .then()
                .statusCode(302)
                .header("Location", endsWith("/console/login"));

        Response login = given().redirects()
                .follow(false)
                .formParam("j_username", agent)
                .formParam("j_password", PASSWORD)
                .post("/j_security_check");
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.header("Location")).endsWith("/console");
        String setCookie = login.header("Set-Cookie");
        assertThat(setCookie)
                .containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict")
                .doesNotContain(PASSWORD);
        given().cookies(login.getCookies())
                .get("/console")
                .then()
                .statusCode(200)
                .body(containsString("Welcome, " + agent));
        given().redirects()
                .follow(false)
                .formParam("j_username", agent)
                .formParam("j_password", "wrong wrong wrong")
                .post("/j_security_check")
                .then()
                .statusCode(302)
                .header("Location", containsString("/console/login?error"));
    }

    @Test
    void thePlatformAdminSeesEveryTenantWithItsInbox() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String session = AdminClient.consoleSession("admin", adminPassword);
        given().header("Cookie", session)
                .get("/console")
                .then()
                .statusCode(200)
                .body(
                        containsString("/console/t/demo/inbox"),
                        containsString("/console/t/" + tenant.slug() + "/inbox"));
        given().header("Cookie", session)
                .get("/console/t/{tenant}/inbox", tenant.slug())
                .then()
                .statusCode(200)
                .body(containsString("Nobody is waiting."));
    }

    @Test
    void aChangedPasswordEndsTheSessionsOpenedWithTheOldOne() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String adminKey = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String agent = AdminClient.newMember(adminKey, tenant.slug(), "agent");
        String before = AdminClient.consoleSession(agent, AdminClient.MEMBER_PASSWORD);
        given().header("Cookie", before)
                .redirects()
                .follow(false)
                .get("/console")
                .then()
                .statusCode(200);

        String id = AdminClient.as(adminKey)
                .get("/api/v1/tenants/{tenant}/members", tenant.slug())
                .then()
                .statusCode(200)
                .extract()
                .path("find { it.username == '" + agent + "' }.id");
        AdminClient.as(adminKey)
                .body(java.util.Map.of("password", "a brand new password 42"))
                .patch("/api/v1/tenants/{tenant}/members/{id}", tenant.slug(), id)
                .then()
                .statusCode(200);

        given().header("Cookie", before)
                .redirects()
                .follow(false)
                .get("/console")
                .then()
                .statusCode(302)
                .header("Location", endsWith("/console/login"));
        String quarkusCookieAlone = before.substring(0, before.indexOf(';'));
        given().header("Cookie", quarkusCookieAlone)
                .redirects()
                .follow(false)
                .get("/console")
                .then()
                .statusCode(302);
        given().header("Cookie", AdminClient.consoleSession(agent, "a brand new password 42"))
                .redirects()
                .follow(false)
                .get("/console")
                .then()
                .statusCode(200);
    }

    @Test
    void aFormTokenOfOneSessionIsRefusedInAnother() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String adminKey = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String first = AdminClient.consoleSession(
                AdminClient.newMember(adminKey, tenant.slug(), "tenant-admin"), AdminClient.MEMBER_PASSWORD);
        String second = AdminClient.consoleSession(
                AdminClient.newMember(adminKey, tenant.slug(), "tenant-admin"), AdminClient.MEMBER_PASSWORD);
        String page = given().header("Cookie", first)
                .get("/console/t/{tenant}/assistant", tenant.slug())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"")
                .matcher(page);
        assertThat(token.find()).isTrue();

        given().header("Cookie", second)
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", token.group(1))
                .formParam("greeting", "Hello from another session")
                .post("/console/t/{tenant}/assistant", tenant.slug())
                .then()
                .statusCode(400);
    }

    private String newAgent(TenantSettings tenant) {
        return AdminClient.newMemberWithPlatformKey(platformKey, tenant.slug(), "agent");
    }
}
