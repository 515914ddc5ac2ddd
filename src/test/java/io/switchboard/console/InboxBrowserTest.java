package io.switchboard.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.switchboard.testing.WidgetSocketClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** An agent works the inbox in a real browser while a customer chats over the widget's WebSocket. */
@QuarkusTest
class InboxBrowserTest extends BrowserTest {

    private static final String PASSWORD = AdminClient.MEMBER_PASSWORD;

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI platform;

    @Test
    void anAgentSeesAnEscalationLiveTakesItOverRepliesAndKeepsNotesInternal() {
        TenantSettings tenant = tenants.create(ModelPolicy.of(new ModelRef("stub", "echo")));
        String agent = newMember(tenant, "agent");
        try (BrowserContext context = browser.newContext();
                WidgetSocketClient customer = customerOf(tenant)) {
            Page page = logIn(context, platform, agent, PASSWORD);
            page.navigate(
                    platform.resolve("/console/t/" + tenant.slug() + "/inbox").toString());
            page.getByText("Nobody is waiting.").waitFor();

            customer.sendMessage("I will file a " + TestTenants.KEYWORD + " with my bank");
            customer.until("state");
            // The row appears without reloading the page, with why it escalated.
            Locator waiting = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Waiting"));
            waiting.getByRole(AriaRole.LINK).first().waitFor();
            assertThat(waiting.textContent()).contains("keyword");

            waiting.getByRole(AriaRole.LINK).first().click();
            page.getByText("I will file a " + TestTenants.KEYWORD).waitFor();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Take over"))
                    .click();
            page.getByLabel("Reply to the customer").waitFor();
            assertThat(page.locator("#state").textContent()).isEqualTo("HUMAN");
            assertThat(last(customer.until("system_message"))
                            .path("message")
                            .path("text")
                            .asText())
                    .contains("joined");

            page.getByLabel("Reply to the customer").fill("Hi, this is Sam. Let me look into your booking.");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send reply"))
                    .click();
            JsonNode reply = last(customer.until("agent_message"));
            assertThat(reply.path("message").path("text").asText())
                    .isEqualTo("Hi, this is Sam. Let me look into your booking.");

            page.getByLabel("Internal note").fill("Customer mentioned a bank dispute; check the refund log first.");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add note"))
                    .click();
            page.locator("li.note").getByText("check the refund log first").waitFor();

            // What the customer writes next shows up on the agent's open page by itself.
            customer.sendMessage("Thanks, my booking number is HN-4471");
            page.locator("li.customer").getByText("HN-4471").waitFor();

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Hand back to the bot"))
                    .click();
            page.locator("#state").getByText("BOT").waitFor();
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(java.nio.file.Paths.get("target", "screenshots", "inbox-conversation.png")));
        }
    }

    private WidgetSocketClient customerOf(TenantSettings tenant) {
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        return WidgetSocketClient.connect(platform, tenant.slug(), conversation.token());
    }

    private String newMember(TenantSettings tenant, String role) {
        return AdminClient.newMemberWithPlatformKey(platformKey, tenant.slug(), role);
    }

    private static JsonNode last(List<JsonNode> frames) {
        return frames.get(frames.size() - 1);
    }
}
