package io.switchboard.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.BrowserTest;
import io.switchboard.testing.CallbackReceiver;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Paths;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant admin runs an API channel from the console against a real callback server: adds it and
 * copies its token and signing secret (shown once), sends a test callback that fails and then one
 * that arrives signed and shows as delivered, rotates the token (the old one stops working), turns the bot off and
 * deletes the channel; another tenant's admin cannot reach it.
 */
@QuarkusTest
class ChannelsConsoleTest extends BrowserTest {

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI platform;

    private final CallbackReceiver receiver = new CallbackReceiver();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void anAdminAddsTestsRotatesAndDeletesAnApiChannel() {
        TenantSettings tenant = tenants.withStubModel("echo");
        TenantSettings other = tenants.withStubModel("echo");
        String admin = AdminClient.newMemberWithPlatformKey(platformKey, tenant.slug(), "tenant-admin");
        try (BrowserContext context = browser.newContext()) {
            Page page = logIn(context, platform, admin, AdminClient.MEMBER_PASSWORD);
            page.getByRole(
                            AriaRole.LINK,
                            new Page.GetByRoleOptions().setName("Channels").setExact(true))
                    .click();
            Locator table = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Channels"));
            assertThat(table.locator("tbody tr").first().textContent()).contains("Widget");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Add an API channel"))
                    .click();
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Mobile app");
            page.getByLabel("Callback URL").fill("ftp://example.com/callbacks");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add channel"))
                    .click();
            page.locator("#callbackUrl-error").waitFor();
            page.getByLabel("Callback URL").fill(receiver.url("/callbacks"));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add channel"))
                    .click();
            Locator credentials =
                    page.getByRole(AriaRole.STATUS, new Page.GetByRoleOptions().setName("New channel credentials"));
            String token = credentials.getByLabel("Token").textContent();
            String secret = credentials.getByLabel("Signing secret").textContent();
            assertThat(token).startsWith("sbch_");
            assertThat(secret).startsWith("whsec_");
            assertThat(table.textContent()).contains("Mobile app").contains(receiver.url("/callbacks"));

            page.getByRole(
                            AriaRole.LINK,
                            new Page.GetByRoleOptions().setName("Mobile app").setExact(true))
                    .click();
            String channelId = page.url().replaceFirst(".*/channels/", "");
            assertThat(page.content()).as("credentials are shown once").doesNotContain(token);
            receiver.failFirst(1);
            assertThat(sendTestCallback(page, "Failed: HTTP 500")).contains(" ms");
            receiver.failFirst(0);
            assertThat(sendTestCallback(page, "Delivered: HTTP 204")).contains(" ms");
            assertThat(receiver.received()).hasSize(2);
            CallbackReceiver.Received test = receiver.received().get(1);
            assertThat(test.eventType()).isEqualTo("channel.test");
            assertThat(test.signedWith(secret))
                    .as("the shown secret verifies the signature")
                    .isTrue();
            assertThat(test.json().path("channelId").asText()).isEqualTo(channelId);
            assertThat(page.getByLabel("Callback health").textContent())
                    .contains("last callback delivered (HTTP 204)")
                    .contains("0 pending · 1 dead")
                    .contains("last error: HTTP 500");
            page.screenshot(
                    new Page.ScreenshotOptions().setPath(Paths.get("target", "screenshots", "channel-test.png")));

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rotate the token"))
                    .click();
            String rotated = page.getByRole(AriaRole.STATUS, new Page.GetByRoleOptions().setName("New token"))
                    .getByLabel("Token")
                    .textContent();
            assertThat(rotated).startsWith("sbch_").isNotEqualTo(token);
            postMessage(channelId, token).statusCode(401);
            postMessage(channelId, rotated).statusCode(202);

            String otherAdmin = AdminClient.consoleSession(
                    AdminClient.newMemberWithPlatformKey(platformKey, other.slug(), "tenant-admin"),
                    AdminClient.MEMBER_PASSWORD);
            given().header("Cookie", otherAdmin)
                    .get("/console/t/{tenant}/channels/{id}", other.slug(), channelId)
                    .then()
                    .statusCode(404);
            // The widget's settings are the tenant's: it has no channel page.
            String ownAdmin = AdminClient.consoleSession(admin, AdminClient.MEMBER_PASSWORD);
            given().header("Cookie", ownAdmin)
                    .get("/console/t/{tenant}/channels/{id}", tenant.slug(), tenant.id())
                    .then()
                    .statusCode(404);

            page.navigate(platform.resolve("/console/t/" + tenant.slug() + "/channels")
                    .toString());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Turn the bot off on Mobile app"))
                    .click();
            page.getByRole(AriaRole.STATUS)
                    .getByText("The bot is off on “Mobile app”.")
                    .waitFor();
            assertThat(table.textContent()).contains("off: every conversation goes to a person");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete Mobile app"))
                    .click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete the channel"))
                    .click();
            page.getByRole(AriaRole.STATUS)
                    .getByText("Deleted “Mobile app”; its token no longer works.")
                    .waitFor();
            assertThat(table.textContent()).doesNotContain("Mobile app");
            postMessage(channelId, rotated).statusCode(401);
        }
    }

    /** Sends a test callback from the channel's page and returns the outcome it shows, once it shows {@code outcome}. */
    private static String sendTestCallback(Page page, String outcome) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send a test callback"))
                .click();
        Locator shown = page.getByRole(AriaRole.STATUS, new Page.GetByRoleOptions().setName("Test outcome"));
        shown.getByText(outcome).waitFor();
        return shown.textContent();
    }

    private static io.restassured.response.ValidatableResponse postMessage(String channelId, String token) {
        return given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + token)
                .body(Map.of("contact", Map.of("id", "user-1"), "text", "Hello"))
                .post("/api/v1/channels/{id}/messages", channelId)
                .then();
    }
}
