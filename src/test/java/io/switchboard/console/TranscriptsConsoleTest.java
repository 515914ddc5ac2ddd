package io.switchboard.console;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.BrowserTest;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Finding and handling transcripts in the console: an agent filters conversations by text, state,
 * model, channel and escalation reason and reads each answer's provenance; a tenant admin exports a
 * transcript as JSON and CSV and erases a contact, both audited; the admin API filters the same
 * way and pages with a Link header.
 */
@QuarkusTest
class TranscriptsConsoleTest extends BrowserTest {

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI platform;

    @Test
    void agentsFindConversationsAndAdminsExportAndEraseThem() throws IOException {
        TenantSettings tenant =
                tenants.withEscalation(new io.switchboard.handoff.EscalationRules(List.of(TestTenants.KEYWORD)));
        WidgetClient.Conversation kayak = WidgetClient.start(tenant.slug());
        WidgetClient.send(kayak, "Where is my kayak booking?").statusCode(200);
        WidgetClient.Conversation dispute = WidgetClient.start(tenant.slug());
        WidgetClient.send(dispute, "I will file a " + TestTenants.KEYWORD).statusCode(200);
        WidgetClient.send(WidgetClient.start(tenant.slug()), "Hello there").statusCode(200);
        String adminKey = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");

        try (BrowserContext context = browser.newContext()) {
            Page page = logIn(
                    context,
                    platform,
                    AdminClient.newMember(adminKey, tenant.slug(), "agent"),
                    AdminClient.MEMBER_PASSWORD);
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Conversations"))
                    .click();
            assertThat(rows(page).count()).isEqualTo(3);

            find(page, "Text", "kayak");
            assertThat(rows(page).count()).isEqualTo(1);
            page.getByLabel("Text").fill("");
            page.getByLabel("State").selectOption("PENDING_HUMAN");
            search(page);
            assertThat(rows(page).count()).isEqualTo(1);
            assertThat(rows(page).first().textContent()).contains("keyword");
            page.getByLabel("State").selectOption("");
            find(page, "Model", "stub/echo");
            assertThat(rows(page).count())
                    .as("the two conversations the echo model answered")
                    .isEqualTo(2);
            find(page, "Channel", "widget");
            assertThat(rows(page).count()).isEqualTo(2);
            assertThat(rows(page).first().textContent()).contains("widget");
            find(page, "Channel", "api");
            assertThat(rows(page).count())
                    .as("every conversation came through the widget")
                    .isZero();
            page.getByLabel("Channel").fill("");

            // The hand-off graded the dispute fair; the other two have no grade yet.
            await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> "fair".equals(stored.conversation(dispute.id()).get("grade")));
            page.getByLabel("Model").fill("");
            page.getByLabel("Quality").selectOption("fair");
            search(page);
            assertThat(rows(page).count()).isEqualTo(1);
            assertThat(rows(page).first().textContent()).contains("keyword", "fair");
            page.getByLabel("Quality").selectOption("");

            find(page, "Text", "kayak");
            rows(page).first().getByRole(AriaRole.LINK).click();
            Locator provenance = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Transcript"))
                    .locator("dl")
                    .first();
            assertThat(provenance.textContent()).contains("stub/echo", "42 in", "ms to first token");
            assertThat(page.getByText("Export JSON").count())
                    .as("exports are for tenant admins")
                    .isZero();
        }

        try (BrowserContext context =
                browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setAcceptDownloads(true))) {
            Page page = logIn(
                    context,
                    platform,
                    AdminClient.newMember(adminKey, tenant.slug(), "tenant-admin"),
                    AdminClient.MEMBER_PASSWORD);
            page.navigate(platform.resolve("/console/t/" + tenant.slug() + "/conversations/" + kayak.id())
                    .toString());
            Download json =
                    page.waitForDownload(() -> page.getByText("Export JSON").click());
            assertThat(Files.readString(json.path())).contains("Where is my kayak booking?", "\"model\":\"echo\"");
            Download csv =
                    page.waitForDownload(() -> page.getByText("Export CSV").click());
            assertThat(Files.readString(csv.path()))
                    .startsWith("conversation,seq,")
                    .contains("Where is my kayak booking?");

            page.getByText("Erase this contact's data").click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Erase the contact"))
                    .click();
            page.getByRole(AriaRole.STATUS)
                    .getByText("Erased the contact: 1 conversation(s) and 2 message(s).")
                    .waitFor();
            assertThat(rows(page).count()).isEqualTo(2);
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Paths.get("target", "screenshots", "transcripts.png"))
                    .setFullPage(true));
        }
        assertThat(stored.of(kayak.id()))
                .as("the erased conversation's messages are gone from the database")
                .isEmpty();
        as(adminKey)
                .get("/api/v1/tenants/{tenant}/audit-log?action=contact.erased", tenant.slug())
                .then()
                .statusCode(200)
                .body("items", hasSize(1));
        as(adminKey)
                .get("/api/v1/tenants/{tenant}/audit-log?action=conversation.exported", tenant.slug())
                .then()
                .statusCode(200)
                .body("items", hasSize(2));
    }

    @Test
    void theApiFiltersTheSameWayAndPagesWithALinkHeader() {
        TenantSettings tenant = tenants.withStubModel("echo");
        for (int i = 0; i < 3; i++) {
            WidgetClient.send(WidgetClient.start(tenant.slug()), "Question number " + i)
                    .statusCode(200);
        }
        String agentKey = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        String conversations = "/api/v1/tenants/{tenant}/conversations";
        as(agentKey)
                .get(conversations + "?q=NUMBER 1", tenant.slug())
                .then()
                .statusCode(200)
                .body("", hasSize(1));
        var first = as(agentKey)
                .get(conversations + "?limit=2", tenant.slug())
                .then()
                .statusCode(200)
                .body("", hasSize(2))
                .extract();
        String next = first.header("Link");
        assertThat(next).contains("rel=\"next\"").contains("before=");
        String nextUrl = URI.create(next.substring(next.indexOf('<') + 1, next.indexOf('>')))
                        .getRawPath() + "?"
                + URI.create(next.substring(next.indexOf('<') + 1, next.indexOf('>')))
                        .getRawQuery();
        as(agentKey)
                .get(nextUrl)
                .then()
                .statusCode(200)
                .body("", hasSize(1))
                .header("Link", org.hamcrest.Matchers.nullValue());
        as(agentKey)
                .get(conversations + "?from=yesterday", tenant.slug())
                .then()
                .statusCode(422)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("from"));
    }

    private static Locator rows(Page page) {
        return page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Conversations"))
                .locator("tbody tr");
    }

    private static void find(Page page, String field, String value) {
        page.getByLabel(field, new Page.GetByLabelOptions().setExact(true)).fill(value);
        search(page);
    }

    /** Presses Find and waits for the page of results. */
    private static void search(Page page) {
        page.waitForResponse(
                response -> response.url().contains("/conversations?"),
                () -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Find"))
                        .click());
        page.waitForLoadState();
    }
}
