package io.switchboard.widget;

import static io.switchboard.testing.AdminClient.as;
import static io.switchboard.testing.TestTenants.article;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.action.TenantApi;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.Chromium;
import io.switchboard.testing.HostSite;
import io.switchboard.testing.PlatformKeyResource;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The widget in a real browser (Debian's chromium), embedded with one script tag in a host page
 * served from another origin than the platform's, as on a tenant's site.
 */
@QuarkusTest
class WidgetBrowserTest {

    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final String XSS =
            "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script> [click](javascript:window.__xss=3)";

    private static Playwright playwright;
    private static Browser browser;
    private static HostSite hostSite;

    @Inject
    TestTenants tenants;

    @Inject
    io.switchboard.platform.ScopedConnections connections;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @ConfigProperty(name = PlatformKeyResource.WIDGET_SECRET_SETTING)
    String widgetSecret;

    @TestHTTPResource("/")
    URI platform;

    private BrowserContext context;
    private Page page;

    @BeforeAll
    static void launchBrowser() {
        playwright = Playwright.create();
        browser = Chromium.launch(playwright);
        hostSite = HostSite.start();
    }

    @AfterAll
    static void closeBrowser() {
        if (playwright != null) {
            playwright.close();
        }
        if (hostSite != null) {
            hostSite.close();
        }
    }

    @BeforeEach
    void newVisitor() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1000, 800));
        page = context.newPage();
    }

    @AfterEach
    void closeVisitor() {
        context.close();
    }

    @Test
    void chatsAndSeesTheAnswerStreamInWithItsCitationWithoutTouchingTheHostPage() {
        TenantSettings tenant = tenants.embeddableOn(
                hostOrigin(),
                TestTenants.retrieval(),
                article(
                        "kayak-returns",
                        "Returning a kayak",
                        "## How to return a kayak\nBring the kayak back to the boathouse before 6 pm and hand the paddle to the staff."));
        visit(tenant);

        ask("When do I have to bring the kayak back?");
        Locator citation = page.locator(".msg.bot .cite");
        citation.waitFor();
        assertThat(citation.textContent()).isEqualTo("Source: Returning a kayak");
        assertThat(citation.getAttribute("href")).isEqualTo("https://help.example/kayak-returns");
        assertThat(page.locator(".msg.bot").last().textContent()).contains("boathouse before 6 pm");
        assertThat(page.evaluate("getComputedStyle(document.getElementById('host-title')).color"))
                .isEqualTo("rgb(10, 20, 30)");
        assertThat(page.evaluate("typeof window.Switchboard.open")).isEqualTo("function");
        assertThat(page.locator("header h2").textContent()).isEqualTo("Ask Pip");
        assertThat(
                        page.evaluate(
                                "getComputedStyle(document.getElementById('switchboard-widget').shadowRoot.querySelector('.launcher')).backgroundColor"))
                .isEqualTo("rgb(11, 110, 79)");
        assertThat(page.evaluate("document.getElementById('switchboard-widget').style.left"))
                .isEqualTo("20px");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("widget-answer.png")));
    }

    @Test
    void keepsTheConversationAcrossAReload() {
        TenantSettings tenant = tenants.embeddableOn(hostOrigin(), ModelPolicy.of(new ModelRef("stub", "echo")));
        visit(tenant);
        ask("Remember me");
        // The rating row comes with the stored answer; the streamed words arrive before it is stored.
        page.locator(".rate").waitFor();

        page.reload();
        page.locator(".msg.bot", new Page.LocatorOptions().setHasText("You said: Remember me"))
                .waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.ATTACHED));
        assertThat(page.locator(".msg").allTextContents()).containsSubsequence("Remember me", "You said: Remember me");
        assertThat(page.locator(".msg.customer").count()).isEqualTo(1);
    }

    @Test
    void startsANewConversationWhenItsTokenHasExpired() throws Exception {
        TenantSettings tenant = tenants.embeddableOn(hostOrigin(), ModelPolicy.of(new ModelRef("stub", "echo")));
        WidgetClient.Conversation old = WidgetClient.start(tenant.slug());
        try (java.sql.Connection connection = connections.forPlatform("test: an idle conversation");
                java.sql.PreparedStatement age = connection.prepareStatement(
                        "update conversation set updated_at = now() - interval '31 days' where id = ?")) {
            age.setObject(1, java.util.UUID.fromString(old.id()));
            age.executeUpdate();
        }
        // The visitor's browser still holds that conversation's token, as after a month away.
        page.addInitScript("localStorage.setItem('switchboard:" + tenant.slug() + "', JSON.stringify({conversationId: '"
                + old.id() + "', token: '" + old.token() + "'}))");
        visit(tenant);

        ask("Hello again");
        page.locator(".msg.bot", new Page.LocatorOptions().setHasText("You said: Hello again"))
                .waitFor();
        Object stored =
                page.evaluate("JSON.parse(localStorage.getItem('switchboard:" + tenant.slug() + "')).conversationId");
        assertThat(stored).isNotEqualTo(old.id());
    }

    @Test
    void theCustomersOtherTabShowsTheirMessageAndTheAnswerLive() {
        TenantSettings tenant = tenants.embeddableOn(hostOrigin(), ModelPolicy.of(new ModelRef("stub", "echo")));
        visit(tenant);
        ask("Hello from the first tab");
        page.locator(".rate").waitFor();

        Page firstTab = page;
        page = context.newPage();
        visit(tenant);
        ask("Hello from the second tab");
        firstTab.locator(".msg.bot", new Page.LocatorOptions().setHasText("You said: Hello from the second tab"))
                .waitFor();
        assertThat(firstTab.locator(".msg.customer").allTextContents())
                .containsExactly("Hello from the first tab", "Hello from the second tab");
        assertThat(firstTab.locator(".msg").allTextContents())
                .containsSubsequence("Hello from the second tab", "You said: Hello from the second tab");

        page.locator(".rate").nth(1).waitFor();
        assertThat(page.locator(".msg.customer").allTextContents())
                .containsExactly("Hello from the first tab", "Hello from the second tab");
        assertThat(page.locator(".msg.bot").allTextContents())
                .containsExactly("You said: Hello from the first tab", "You said: Hello from the second tab");
    }

    @Test
    void modelAndAgentTextNeverRunsOrRendersAsHtmlAndAgentRepliesArriveLive() {
        TenantSettings tenant = tenants.embeddableOn(hostOrigin(), ModelPolicy.of(new ModelRef("stub", "echo")));
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        visit(tenant);

        ask(XSS);
        page.locator(".msg.bot", new Page.LocatorOptions().setHasText("You said:"))
                .waitFor();
        page.locator("button.human").click();
        page.locator(".status", new Page.LocatorOptions().setHasText("Waiting for a person"))
                .waitFor();

        String conversationId = as(agent)
                .get("/api/v1/tenants/{tenant}/conversations?state=PENDING_HUMAN", tenant.slug())
                .then()
                .statusCode(200)
                .extract()
                .path("[0].id");
        as(agent)
                .post("/api/v1/tenants/{tenant}/conversations/{id}/assign", tenant.slug(), conversationId)
                .then()
                .statusCode(200);
        as(agent)
                .body(Map.of("text", "Sam here. " + XSS))
                .post("/api/v1/tenants/{tenant}/conversations/{id}/messages", tenant.slug(), conversationId)
                .then()
                .statusCode(200);

        Locator agentMessage = page.locator(".msg.agent");
        agentMessage.waitFor();
        assertThat(agentMessage.textContent()).startsWith("Sam here. <img src=x");
        assertThat(page.locator(".status").textContent()).isEqualTo("A person from the team is here.");
        assertThat(page.evaluate("window.__xss === undefined")).isEqualTo(true);
        assertThat(page.locator("#switchboard-widget img").count()).isZero();
        assertThat(page.locator("#switchboard-widget script").count()).isZero();
        assertThat(page.locator("#switchboard-widget a[href^='javascript']").count())
                .isZero();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("widget-agent.png")));
    }

    @Test
    void survivesADroppedConnectionWithoutLosingOrDuplicatingMessages() {
        TenantSettings tenant = tenants.embeddableOn(hostOrigin(), ModelPolicy.of(new ModelRef("stub", "echo")));
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        // Every widget socket goes through this route, so the test can cut one as a network drop would.
        List<WebSocketRoute> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
        page.routeWebSocket(java.util.regex.Pattern.compile(".*/ws/widget/.*"), socket -> {
            socket.connectToServer();
            sockets.add(socket);
        });
        visit(tenant);
        ask("Is the boathouse open today?");
        page.locator(".msg.bot", new Page.LocatorOptions().setHasText("You said: Is the boathouse open today?"))
                .waitFor();
        page.locator("button.human").click();
        page.locator(".status", new Page.LocatorOptions().setHasText("Waiting for a person"))
                .waitFor();

        sockets.get(0).close();
        page.locator(".status", new Page.LocatorOptions().setHasText("Reconnecting"))
                .waitFor();
        String conversationId = as(agent)
                .get("/api/v1/tenants/{tenant}/conversations?state=PENDING_HUMAN", tenant.slug())
                .then()
                .statusCode(200)
                .extract()
                .path("[0].id");
        as(agent)
                .post("/api/v1/tenants/{tenant}/conversations/{id}/assign", tenant.slug(), conversationId)
                .then()
                .statusCode(200);
        as(agent)
                .body(Map.of("text", "Sam here, while you were away."))
                .post("/api/v1/tenants/{tenant}/conversations/{id}/messages", tenant.slug(), conversationId)
                .then()
                .statusCode(200);

        page.locator(".msg.agent", new Page.LocatorOptions().setHasText("Sam here, while you were away."))
                .waitFor();
        page.locator(".status", new Page.LocatorOptions().setHasText("A person from the team is here."))
                .waitFor();
        assertThat(sockets).hasSizeGreaterThanOrEqualTo(2);
        as(agent)
                .body(Map.of("text", "And now live."))
                .post("/api/v1/tenants/{tenant}/conversations/{id}/messages", tenant.slug(), conversationId)
                .then()
                .statusCode(200);
        page.locator(".msg.agent", new Page.LocatorOptions().setHasText("And now live."))
                .waitFor();
        assertThat(page.locator(".msg.agent").allTextContents())
                .containsExactly("Sam here, while you were away.", "And now live.");
        assertThat(page.locator(".msg.customer").allTextContents()).containsExactly("Is the boathouse open today?");
        assertThat(page.locator(".msg.bot", new Page.LocatorOptions().setHasText("You said:"))
                        .count())
                .isEqualTo(1);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("widget-reconnected.png")));
    }

    @Test
    void twoAnswersMarkedNotHelpfulBringAPersonIn() {
        TenantSettings tenant = tenants.embeddableOn(hostOrigin(), ModelPolicy.of(new ModelRef("stub", "echo")));
        visit(tenant);

        for (String question : new String[] {"Where is my refund?", "I said: where is my refund?"}) {
            ask(question);
            page.locator(".msg.bot", new Page.LocatorOptions().setHasText("You said: " + question))
                    .waitFor();
            Locator rating = page.locator(".rate").last();
            rating.locator("button[aria-label='Not helpful']").click();
            page.locator(".rate", new Page.LocatorOptions().setHasText("Sorry about that."))
                    .nth(question.startsWith("Where") ? 0 : 1)
                    .waitFor();
        }

        page.locator(".status", new Page.LocatorOptions().setHasText("Waiting for a person"))
                .waitFor();
        assertThat(page.locator(".msg.system").last().textContent()).isNotBlank();
    }

    @Test
    void aWriteTheAssistantOffersIsMadeOnceTheCustomerClicksConfirm() throws Exception {
        TenantSettings tenant = tenants.embeddableOn(hostOrigin(), ModelPolicy.of(new ModelRef("stub", "tool-caller")));
        try (TenantApi api = new TenantApi()) {
            AdminClient.defineAction(
                    AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin"),
                    tenant.slug(),
                    api.action("cancel_booking", "POST", "/bookings/{query}/cancel", false));
            visit(tenant);

            ask("B-17");
            Locator card = page.locator(".pending", new Page.LocatorOptions().setHasText("Cancel booking: query B-17"));
            card.waitFor();
            assertThat(api.requests())
                    .as("nothing is written before the customer confirms")
                    .isEmpty();
            card.locator("button", new Locator.LocatorOptions().setHasText("Confirm"))
                    .click();

            page.locator(".msg.bot", new Page.LocatorOptions().setHasText("\"outcome\":\"ok\""))
                    .waitFor();
            assertThat(card.locator("button").evaluateAll("buttons => buttons.every(b => b.disabled)"))
                    .isEqualTo(true);
            assertThat(api.requests()).extracting(TenantApi.Request::rawPath).containsExactly("/bookings/B-17/cancel");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("widget-confirmed-action.png")));
        }
    }

    @Test
    void speaksTheTenantsLanguageAndFillsASmallScreen() {
        TenantSettings tenant = tenants.embeddableOn(
                hostOrigin(),
                ModelPolicy.of(new ModelRef("stub", "echo")),
                new io.switchboard.tenant.WidgetLook("Aide", "#0b6e4f", "right", "fr"));
        page.setViewportSize(390, 844);
        visit(tenant);
        page.locator("button[aria-label='Ouvrir le chat']").click();

        assertThat(page.locator("button.human").textContent()).isEqualTo("Parler à une personne");
        assertThat(page.locator("input[aria-label='Votre message']").getAttribute("placeholder"))
                .isEqualTo("Posez votre question…");
        var panel = page.locator(".panel").boundingBox();
        assertThat(panel.width).isEqualTo(390.0);
        assertThat(panel.height).isEqualTo(844.0);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("widget-small-screen-fr.png")));
    }

    @Test
    void aForgedIdentityProofIsRefusedAndAGenuineOneChats() {
        TenantSettings tenant =
                tenants.embeddableForVerifiedUsersOn(hostOrigin(), PlatformKeyResource.WIDGET_SECRET_SETTING);
        visit(tenant);
        page.evaluate("Switchboard.setUser({ id: 'user-42', name: 'Ada', userHash: 'forged' })");
        ask("Where is my order?");
        page.locator(".status", new Page.LocatorOptions().setHasText("Please sign in to chat with us."))
                .waitFor();
        assertThat(page.locator(".msg.bot", new Page.LocatorOptions().setHasText("You said:"))
                        .count())
                .isZero();

        page.evaluate(
                "hash => Switchboard.setUser({ id: 'user-42', name: 'Ada', userHash: hash })",
                io.switchboard.widget.IdentityVerifier.hmac(widgetSecret, "user-42"));
        ask("Where is my order, please?");
        page.locator(".msg.bot", new Page.LocatorOptions().setHasText("You said: Where is my order, please?"))
                .waitFor();
    }

    @Test
    void worksUnderAStrictContentSecurityPolicy() {
        TenantSettings tenant = tenants.embeddableOn(hostOrigin(), ModelPolicy.of(new ModelRef("stub", "echo")));
        List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                violations.add(message.text());
            }
        });
        page.navigate(hostSite.page(tenant.slug(), platform, true));
        page.locator("button.launcher").waitFor();

        assertThat(page.locator("button.launcher").evaluate("b => getComputedStyle(b).backgroundColor"))
                .isEqualTo("rgb(11, 110, 79)");
        ask("Does it work here?");
        page.locator(".msg.bot", new Page.LocatorOptions().setHasText("You said: Does it work here?"))
                .waitFor();
        assertThat(violations)
                .as("the page itself has nothing inline: every violation would be the widget's")
                .isEmpty();
    }

    @Test
    void isRefusedOnASiteTheTenantDoesNotAllow() {
        TenantSettings tenant =
                tenants.embeddableOn("https://somewhere-else.example", ModelPolicy.of(new ModelRef("stub", "echo")));
        visit(tenant);

        page.locator("button[aria-label='Open chat']").click();
        page.locator(".status", new Page.LocatorOptions().setHasText("not available on this site"))
                .waitFor();
        assertThat(page.locator(".msg").count()).isZero();
    }

    @Test
    void worksWithTheKeyboardAlone() {
        TenantSettings tenant = tenants.embeddableOn(hostOrigin(), ModelPolicy.of(new ModelRef("stub", "echo")));
        visit(tenant);

        page.keyboard().press("Tab");
        page.keyboard().press("Enter");
        page.locator("input[aria-label='Your message']").waitFor();
        assertThat(
                        page.evaluate(
                                "document.getElementById('switchboard-widget').shadowRoot.activeElement.getAttribute('aria-label')"))
                .isEqualTo("Your message");
        page.keyboard().type("typed only");
        page.keyboard().press("Enter");
        page.locator(".msg.bot", new Page.LocatorOptions().setHasText("You said: typed only"))
                .waitFor();
        page.keyboard().press("Escape");
        assertThat(page.locator(".panel").isHidden()).isTrue();
    }

    @Test
    void asksHowWeDidOnceAPersonClosesTheConversationAndTheRatingReachesAnalytics() {
        TenantSettings tenant = tenants.embeddableOn(hostOrigin(), ModelPolicy.of(new ModelRef("stub", "echo")));
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        visit(tenant);
        ask("Where is my parcel?");
        page.locator(".rate").waitFor();
        String conversationId = (String)
                page.evaluate("JSON.parse(localStorage.getItem('switchboard:" + tenant.slug() + "')).conversationId");

        as(agent)
                .post("/api/v1/tenants/{tenant}/conversations/{id}/close", tenant.slug(), conversationId)
                .then()
                .statusCode(200);
        Locator survey = page.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName("How did we do?"));
        survey.waitFor();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("4 of 5"))
                .click();
        assertThat(page.locator(".star[aria-pressed='true']").count()).isEqualTo(4);
        page.getByLabel("Anything you'd like to add? (optional)").fill("Quick answer");
        page.locator(".survey button[type='submit']").click();
        page.getByText("Thank you for your feedback!").waitFor();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("widget-survey.png")));

        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        as(admin)
                .queryParam("from", today)
                .queryParam("to", today)
                .get("/api/v1/tenants/{tenant}/analytics", tenant.slug())
                .then()
                .statusCode(200)
                .body("csat.responses", org.hamcrest.Matchers.equalTo(1))
                .body("csat.average", org.hamcrest.Matchers.equalTo(4.0f));
        // After a reload the widget asks the server again, which says this conversation is rated.
        page.waitForResponse(response -> response.url().endsWith("/rating"), () -> page.reload());
        page.locator("button[aria-label='Open chat']").click();
        page.locator(".msg.system").last().waitFor();
        assertThat(page.locator(".survey").count())
                .as("a rated conversation is not asked again")
                .isZero();
    }

    @Test
    void asksHowWeDidOnceTheCustomerSaysAnAnswerHelpedButNotBefore() {
        TenantSettings tenant = tenants.embeddableOn(hostOrigin(), ModelPolicy.of(new ModelRef("stub", "echo")));
        visit(tenant);
        ask("Can I pay by card?");
        page.locator(".rate").waitFor();
        assertThat(page.locator(".survey").count())
                .as("an open conversation is not rated yet")
                .isZero();

        page.getByRole(
                        AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Helpful").setExact(true))
                .click();
        page.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName("How did we do?"))
                .waitFor();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("5 of 5"))
                .click();
        page.locator(".survey button[type='submit']").click();
        page.getByText("Thank you for your feedback!").waitFor();
    }

    private void visit(TenantSettings tenant) {
        page.navigate(hostSite.page(tenant.slug(), platform, false));
        page.locator("button.launcher").waitFor();
    }

    private void ask(String question) {
        if (page.locator(".panel").isHidden()) {
            page.locator("button[aria-label='Open chat']").click();
        }
        Locator input = page.locator("input[aria-label='Your message']");
        input.fill(question);
        input.press("Enter");
    }

    private static String hostOrigin() {
        return hostSite.origin();
    }
}
