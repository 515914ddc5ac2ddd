package io.switchboard.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.handoff.EscalationRules;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.BrowserTest;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every console page checks roles on the server and keeps tenants apart; every page works with
 * the keyboard (labelled controls, forms that submit with Enter) and reads on a phone without
 * sideways scrolling.
 */
@QuarkusTest
class ConsolePagesTest extends BrowserTest {

    private static final List<String> ADMIN_PAGES = List.of(
            "assistant",
            "knowledge",
            "knowledge/new",
            "actions",
            "actions/new",
            "channels",
            "channels/new",
            "models",
            "analytics",
            "insights",
            "team");
    private static final List<String> AGENT_PAGES = List.of("inbox", "conversations");

    @Inject
    TestTenants tenants;

    @Inject
    TenantService tenantService;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI platform;

    @Test
    void everyPageChecksTheRoleAndTheTenant() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        TenantSettings other = tenants.create(TestTenants.retrieval());
        String adminKey = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String admin = AdminClient.consoleSession(
                AdminClient.newMember(adminKey, tenant.slug(), "tenant-admin"), AdminClient.MEMBER_PASSWORD);
        String agent = AdminClient.consoleSession(
                AdminClient.newMember(adminKey, tenant.slug(), "agent"), AdminClient.MEMBER_PASSWORD);
        for (String page : ADMIN_PAGES) {
            get(admin, tenant, page)
                    .then()
                    .statusCode(200)
                    .header(
                            "Content-Security-Policy",
                            org.hamcrest.Matchers.allOf(
                                    org.hamcrest.Matchers.containsString("script-src 'self'"),
                                    org.hamcrest.Matchers.containsString("frame-ancestors 'none'")))
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "same-origin")
                    .header("Cache-Control", "no-store");
            get(agent, tenant, page).then().statusCode(403);
            get(admin, other, page).then().statusCode(404);
            given().redirects()
                    .follow(false)
                    .get("/console/t/{tenant}/" + page, tenant.slug())
                    .then()
                    .statusCode(302);
        }
        for (String page : AGENT_PAGES) {
            get(agent, tenant, page).then().statusCode(200);
            get(agent, other, page).then().statusCode(404);
        }
    }

    @Test
    void pagesWorkWithTheKeyboardAndReadOnAPhone() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.send(WidgetClient.start(tenant.slug()), "A question so the lists are not empty")
                .statusCode(200);
        String admin = AdminClient.newMemberWithPlatformKey(platformKey, tenant.slug(), "tenant-admin");
        try (BrowserContext context = browser.newContext(
                new Browser.NewContextOptions().setViewportSize(390, 844).setIsMobile(true))) {
            Page page = logIn(context, platform, admin, AdminClient.MEMBER_PASSWORD);
            List<String> problems = new ArrayList<>();
            for (String path : concat(ADMIN_PAGES, AGENT_PAGES)) {
                page.navigate(platform.resolve("/console/t/" + tenant.slug() + "/" + path)
                        .toString());
                Object unlabelled = page.evaluate("""
                        () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
                            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
                            .map(e => e.outerHTML)""");
                if (!((List<?>) unlabelled).isEmpty()) {
                    problems.add(path + ": controls without a name: " + unlabelled);
                }
                if ((Boolean)
                        page.evaluate("() => [...document.querySelectorAll('[tabindex]')].some(e => e.tabIndex > 0)")) {
                    problems.add(path + ": a positive tabindex breaks the keyboard order");
                }
                if ((Boolean) page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")) {
                    problems.add(path + ": scrolls sideways on a phone ("
                            + page.evaluate("() => document.documentElement.scrollWidth") + " px)");
                }
                page.screenshot(new Page.ScreenshotOptions()
                        .setPath(Paths.get("target", "screenshots", "phone-" + path.replace('/', '-') + ".png")));
            }
            assertThat(problems).isEmpty();

            // A form sent with the keyboard alone: type, then Enter.
            page.navigate(platform.resolve("/console/t/" + tenant.slug() + "/assistant")
                    .toString());
            page.getByLabel("Time zone").focus();
            page.keyboard().type("Europe/Paris");
            page.getByLabel("mon").focus();
            page.keyboard().type("09:00-17:00");
            page.keyboard().press("Enter");
            page.getByRole(AriaRole.STATUS).getByText("Saved.").waitFor();
        }
        assertThat(EscalationRules.of(tenantService.findById(tenant.id()).orElseThrow())
                        .businessHours()
                        .open())
                .containsEntry("mon", "09:00-17:00")
                .hasSize(1);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static io.restassured.response.Response get(String session, TenantSettings tenant, String page) {
        return given().header("Cookie", session)
                .redirects()
                .follow(false)
                .get("/console/t/{tenant}/" + page, tenant.slug());
    }
}
