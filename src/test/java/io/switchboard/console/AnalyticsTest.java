package io.switchboard.console;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.handoff.EscalationRules;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.BrowserTest;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Analytics from what really happened: two conversations the bot resolved and one a person took
 * over, reported with rates, reasons, waits and cost equal to the stored answers, over the API
 * and on the console page with its charts.
 */
@QuarkusTest
class AnalyticsTest extends BrowserTest {

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI platform;

    @Test
    void ratesWaitsAndCostsFollowTheConversations() {
        TenantSettings tenant = tenants.withEscalation(new EscalationRules(List.of(TestTenants.KEYWORD)));
        WidgetClient.Conversation first = WidgetClient.start(tenant.slug());
        WidgetClient.send(first, "Where is my order?").statusCode(200);
        WidgetClient.Conversation second = WidgetClient.start(tenant.slug());
        WidgetClient.send(second, "Can I change the address?").statusCode(200);
        WidgetClient.Conversation dispute = WidgetClient.start(tenant.slug());
        WidgetClient.send(dispute, "I will file a " + TestTenants.KEYWORD).statusCode(200);
        String agentKey = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        as(agentKey)
                .post("/api/v1/tenants/{tenant}/conversations/{id}/assign", tenant.slug(), dispute.id())
                .then()
                .statusCode(200);
        as(agentKey)
                .body(Map.of("text", "Hello, I can help with that."))
                .post("/api/v1/tenants/{tenant}/conversations/{id}/messages", tenant.slug(), dispute.id())
                .then()
                .statusCode(200);
        as(agentKey)
                .post("/api/v1/tenants/{tenant}/conversations/{id}/close", tenant.slug(), first.id())
                .then()
                .statusCode(200);
        WidgetClient.rateConversation(first, Map.of("score", 4)).statusCode(201);
        BigDecimal storedCost = List.of(first.id(), second.id(), dispute.id()).stream()
                .flatMap(id -> stored.of(id).stream())
                .filter(row -> row.get("cost_usd") != null)
                .map(row -> (BigDecimal) row.get("cost_usd"))
                .reduce(BigDecimal.ZERO, BigDecimal::add);

        String adminKey = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonPath report = as(adminKey)
                .queryParam("from", today)
                .queryParam("to", today)
                .get("/api/v1/tenants/{tenant}/analytics", tenant.slug())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(report.getLong("conversations")).isEqualTo(3);
        assertThat(report.getLong("resolved")).isEqualTo(2);
        assertThat(report.getLong("escalated")).isEqualTo(1);
        assertThat(report.getDouble("resolutionRate")).isEqualTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(report.getList("escalationReasons.reason")).containsExactly("keyword");
        assertThat(report.getLong("firstResponse.measured"))
                .as("every customer got a first answer, the last from a person")
                .isEqualTo(3);
        assertThat(report.getLong("handoffWait.measured")).isEqualTo(1);
        assertThat(report.getDouble("handoffWait.median")).isNotNegative();
        assertThat(new BigDecimal(report.getString("costUsd")))
                .isEqualByComparingTo(storedCost)
                .isPositive();
        assertThat(report.getList("days.day")).containsExactly(today);
        as(adminKey)
                .queryParam("from", today)
                .queryParam("to", "2020-01-01")
                .get("/api/v1/tenants/{tenant}/analytics", tenant.slug())
                .then()
                .statusCode(422);
        as(agentKey)
                .get("/api/v1/tenants/{tenant}/analytics", tenant.slug())
                .then()
                .statusCode(403);

        try (BrowserContext context = browser.newContext()) {
            Page page = logIn(
                    context,
                    platform,
                    AdminClient.newMember(adminKey, tenant.slug(), "tenant-admin"),
                    AdminClient.MEMBER_PASSWORD);
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Analytics"))
                    .click();
            assertThat(page.locator("#figure-conversations").textContent()).isEqualTo("3");
            assertThat(page.locator("#figure-resolution").textContent()).isEqualTo("66.7%");
            assertThat(page.locator("#figure-escalation").textContent()).isEqualTo("33.3%");
            assertThat(page.getByRole(
                                    AriaRole.IMG,
                                    new Page.GetByRoleOptions()
                                            .setName("Conversations per day (escalated in the darker part)"))
                            .locator("title")
                            .last()
                            .textContent())
                    .isEqualTo(today + ": 3");
            assertThat(page.locator("#figure-csat").textContent())
                    .isEqualTo("4.0 · 1 rating(s), 100.0% of those asked");
            assertThat(page.getByRole(
                                    AriaRole.IMG,
                                    new Page.GetByRoleOptions()
                                            .setName("Customer satisfaction per day (average rating out of 5)"))
                            .locator("title")
                            .last()
                            .textContent())
                    .isEqualTo(today + " (1 ratings): 4.0");
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Paths.get("target", "screenshots", "analytics.png"))
                    .setFullPage(true));
        }
    }
}
