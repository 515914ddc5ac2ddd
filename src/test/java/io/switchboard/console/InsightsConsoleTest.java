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
import io.restassured.path.json.JsonPath;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.BrowserTest;
import io.switchboard.testing.Management;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The Insights page from real widget conversations: the questions the help centre answers form
 * their article's topic, the questions about dogs it has no article for form a gap with their
 * examples, and once an agent has answered one, the admin edits the suggested article on the
 * page and publishes it into the knowledge base in one step. Another tenant's admin cannot open it.
 */
@QuarkusTest
class InsightsConsoleTest extends BrowserTest {

    private static final List<String> REFUND_QUESTIONS =
            List.of("How do I get a refund for my cancelled booking?", "When will my refund arrive on my credit card?");
    private static final List<String> PET_QUESTIONS = List.of(
            "Can I bring my dog to the apartment I booked?",
            "Are pets allowed in your homes? I travel with a small dog",
            "is my dog welcome at the stay or do i need a pet sitter",
            "Do hosts accept pets like dogs or cats?");
    private static final String REPLY =
            "Pets are welcome in homes whose listing says so: add them to your booking under Guests.";

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI platform;

    @Test
    void anAdminSeesTopicsAndGapsAndPublishesTheEditedSuggestedArticle() {
        TenantSettings tenant = tenants.homeSharingHelpCentre();
        String adminKey = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        REFUND_QUESTIONS.forEach(question -> ask(tenant, question));
        List<String> pets =
                PET_QUESTIONS.stream().map(question -> ask(tenant, question)).toList();

        JsonPath gap = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> largestGap(adminKey, tenant.slug()),
                        found -> found != null && found.getInt("conversations") >= 3);
        String answered = gap.getList("conversationIds", String.class).get(0);
        assertThat(pets).contains(answered);
        String agentKey = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        as(agentKey)
                .post("/api/v1/tenants/{tenant}/conversations/{id}/assign", tenant.slug(), answered)
                .then()
                .statusCode(200);
        as(agentKey)
                .body(Map.of("text", REPLY))
                .post("/api/v1/tenants/{tenant}/conversations/{id}/messages", tenant.slug(), answered)
                .then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> largestGap(adminKey, tenant.slug()),
                        found -> found != null
                                && found.getMap("suggestedArticle") != null
                                && as(adminKey)
                                        .get("/api/v1/tenants/{tenant}/insights/topics", tenant.slug())
                                        .then()
                                        .extract()
                                        .jsonPath()
                                        .getBoolean("grouped"));

        try (BrowserContext context = browser.newContext()) {
            Page page = logIn(
                    context,
                    platform,
                    AdminClient.newMember(adminKey, tenant.slug(), "tenant-admin"),
                    AdminClient.MEMBER_PASSWORD);
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Insights"))
                    .click();
            assertThat(page.locator("#grouping").count())
                    .as("everything is grouped")
                    .isZero();

            Locator refunds = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Topics"))
                    .getByRole(AriaRole.ROW)
                    .filter(new Locator.FilterOptions()
                            .setHas(page.getByRole(
                                    AriaRole.LINK,
                                    new Page.GetByRoleOptions()
                                            .setName("Refunds")
                                            .setExact(true))));
            assertThat(refunds.locator("td").nth(2).textContent())
                    .as("conversations answered from the Refunds article")
                    .isEqualTo(String.valueOf(REFUND_QUESTIONS.size()));
            assertThat(page.getByRole(
                                    AriaRole.IMG,
                                    new Page.GetByRoleOptions()
                                            .setName("Largest topics: conversations (escalated in the darker part)"))
                            .locator("title")
                            .allTextContents())
                    .anyMatch(title -> title.endsWith(": " + REFUND_QUESTIONS.size()));

            Locator gapSection =
                    page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName(gap.getString("label")));
            assertThat(gap.getString("label")).containsIgnoringCase("dog");
            assertThat(gapSection
                            .getByRole(AriaRole.LIST, new Locator.GetByRoleOptions().setName("Example questions"))
                            .getByRole(AriaRole.LISTITEM)
                            .allTextContents())
                    .hasSizeGreaterThanOrEqualTo(3)
                    .isSubsetOf(PET_QUESTIONS);
            Locator title = gapSection.getByLabel("Suggested article title");
            assertThat(PET_QUESTIONS)
                    .as("titled with the gap's most typical question")
                    .contains(title.inputValue());
            assertThat(gapSection
                            .getByLabel("Suggested article text (markdown, from the agents' answers)")
                            .inputValue())
                    .isEqualTo(REPLY);

            title.fill("");
            gapSection
                    .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Publish article"))
                    .click();
            assertThat(page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName(gap.getString("label")))
                            .locator(".field-error")
                            .textContent())
                    .as("an empty title is refused and nothing is published")
                    .isEqualTo("must not be empty");

            page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName(gap.getString("label")))
                    .getByLabel("Suggested article title")
                    .fill("Travelling with your dog");
            page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName(gap.getString("label")))
                    .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Publish article"))
                    .click();
            Locator published = page.getByRole(AriaRole.STATUS)
                    .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Travelling with your dog"));
            published.waitFor();
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Paths.get("target", "screenshots", "insights.png"))
                    .setFullPage(true));
            published.click();
            assertThat(page.getByLabel("Title", new Page.GetByLabelOptions().setExact(true))
                            .inputValue())
                    .isEqualTo("Travelling with your dog");
        }
        JsonPath articles = as(adminKey)
                .get("/api/v1/tenants/{tenant}/knowledge/articles", tenant.slug())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(articles.getList("items.title")).contains("Travelling with your dog");
        assertThat(articles.getString("items.find { it.title == 'Travelling with your dog' }.body"))
                .isEqualTo(REPLY);
        assertThat(Management.metrics())
                .containsPattern("switchboard_insights_articles_published_total\\{[^}]*edited=\"true\"[^}]*tenant=\""
                        + tenant.slug() + "\"[^}]*} 1\\.0");
    }

    @Test
    void anotherTenantsAdminCannotOpenTheInsightsPageAndAPeriodMustBeDays() {
        TenantSettings tenant = tenants.homeSharingHelpCentre();
        TenantSettings other = tenants.homeSharingHelpCentre();
        String otherAdmin = AdminClient.newMemberWithPlatformKey(platformKey, other.slug(), "tenant-admin");
        String agent = AdminClient.newMemberWithPlatformKey(platformKey, tenant.slug(), "agent");
        try (BrowserContext context = browser.newContext()) {
            Page page = logIn(context, platform, otherAdmin, AdminClient.MEMBER_PASSWORD);
            assertThat(page.navigate(platform.resolve("/console/t/" + tenant.slug() + "/insights")
                                    .toString())
                            .status())
                    .isEqualTo(404);
            assertThat(page.navigate(platform.resolve("/console/t/" + other.slug() + "/insights")
                                    .toString())
                            .status())
                    .isEqualTo(200);
            assertThat(page.navigate(platform.resolve("/console/t/" + other.slug() + "/insights?from=yesterday")
                                    .toString())
                            .status())
                    .isEqualTo(422);
            assertThat(page.getByRole(AriaRole.ALERT).textContent()).contains("2026-11-29");
        }
        try (BrowserContext context = browser.newContext()) {
            Page page = logIn(context, platform, agent, AdminClient.MEMBER_PASSWORD);
            assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Insights"))
                            .count())
                    .as("no link for an agent")
                    .isZero();
            assertThat(page.navigate(platform.resolve("/console/t/" + tenant.slug() + "/insights")
                                    .toString())
                            .status())
                    .isEqualTo(403);
        }
    }

    private static String ask(TenantSettings tenant, String question) {
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        WidgetClient.send(conversation, question).statusCode(200);
        return conversation.id();
    }

    private static JsonPath largestGap(String adminKey, String tenant) {
        JsonPath gaps = as(adminKey)
                .get("/api/v1/tenants/{tenant}/insights/gaps", tenant)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        return gaps.getList("gaps").isEmpty() ? null : gaps.setRootPath("gaps[0]");
    }
}
