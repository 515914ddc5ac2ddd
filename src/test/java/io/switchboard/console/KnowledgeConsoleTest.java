package io.switchboard.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.BrowserTest;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A tenant admin keeps the knowledge base in the console: imports markdown and HTML files and
 * watches them embed, sees a bad file refuse the whole import, tries a question, then the
 * assistant cites the imported article; writes, corrects and deletes an article by hand.
 */
@QuarkusTest
class KnowledgeConsoleTest extends BrowserTest {

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI platform;

    @Test
    void importedFilesEmbedWithProgressAndTheAssistantCitesThem() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newMemberWithPlatformKey(platformKey, tenant.slug(), "tenant-admin");
        try (BrowserContext context = browser.newContext()) {
            Page page = logIn(context, platform, admin, AdminClient.MEMBER_PASSWORD);
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Knowledge"))
                    .click();
            page.getByText("No articles yet.").waitFor();

            // One file that cannot be an article: nothing of the import is stored.
            page.getByLabel("Markdown, HTML or plain-text files").setInputFiles(new FilePayload[] {
                file("pets.md", "text/markdown", PETS), file("brochure.pdf", "application/pdf", "%PDF-1.7")
            });
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Import"))
                    .click();
            page.getByRole(AriaRole.ALERT)
                    .getByText("brochure.pdf: only markdown (.md), HTML (.html) and plain text (.txt)")
                    .waitFor();
            assertThat(page.getByText("No articles yet.").isVisible()).isTrue();

            page.getByLabel("Markdown, HTML or plain-text files").setInputFiles(new FilePayload[] {
                file("pets.md", "text/markdown", PETS), file("house-manual.html", "text/html", houseManual())
            });
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Import"))
                    .click();
            page.locator("progress#ingestion").waitFor();
            page.screenshot(
                    new Page.ScreenshotOptions().setPath(Paths.get("target", "screenshots", "knowledge-import.png")));
            page.getByText("Last import:").waitFor();
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Bringing pets"))
                    .waitFor();
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("The lake house manual"))
                    .waitFor();

            page.getByLabel("A customer asks…").fill("Can I bring my iguana along?");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Try it"))
                    .click();
            assertThat(page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Test result"))
                            .locator("li")
                            .first()
                            .textContent())
                    .contains("Bringing pets");
            assertThat(page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Test result"))
                            .textContent())
                    .contains("the assistant answers from these passages");
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Paths.get("target", "screenshots", "knowledge-test-question.png"))
                    .setFullPage(true));
        }
        JsonPath answer = WidgetClient.send(WidgetClient.start(tenant.slug()), "Can I bring my iguana along?")
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(answer.getString("reply.citations[0].title")).isEqualTo("Bringing pets");
        assertThat(answer.getString("reply.text")).contains("reptiles");
    }

    @Test
    void anAdminWritesCorrectsAndDeletesAnArticle() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newMemberWithPlatformKey(platformKey, tenant.slug(), "tenant-admin");
        try (BrowserContext context = browser.newContext()) {
            Page page = logIn(context, platform, admin, AdminClient.MEMBER_PASSWORD);
            page.navigate(platform.resolve("/console/t/" + tenant.slug() + "/knowledge/new")
                    .toString());
            page.getByLabel("Text (markdown)").fill("## Parking\nGuests park in the garage on Mill Street.");
            page.getByLabel("Public URL").fill("not a url");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save article"))
                    .click();
            page.locator("#title-error").getByText("must not be empty").waitFor();
            assertThat(page.locator("#url-error").textContent()).contains("http(s) URL");
            assertThat(page.getByLabel("Text (markdown)").inputValue()).contains("Mill Street");

            page.getByLabel("Title").fill("Parking");
            page.getByLabel("Public URL").fill("https://help.example/parking");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save article"))
                    .click();
            page.getByRole(AriaRole.STATUS).getByText("Saved “Parking”.").waitFor();

            page.getByLabel("Search articles").fill("mill street");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search"))
                    .click();
            page.getByRole(AriaRole.ROW).getByText("Delete").click();
            page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Delete “Parking”?"))
                    .waitFor();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete the article"))
                    .click();
            page.getByRole(AriaRole.STATUS).getByText("Deleted “Parking”.").waitFor();
            assertThat(page.getByText("No articles yet.").isVisible()).isTrue();
        }
    }

    private static final String PETS = """
            # Bringing pets
            Dogs and cats are welcome in homes marked pet-friendly. Small reptiles such as iguanas and geckos may come too
            when they stay in their terrarium; tell the host before you arrive. A cleaning fee of 15 euros applies.
            """;

    /** A long HTML page, so its import takes long enough to watch. */
    private static String houseManual() {
        StringBuilder html =
                new StringBuilder("<html lang=\"en\"><head><title>Manual</title><script>alert(1)</script></head><body>"
                        + "<nav>Home | Help</nav><main><h1>The lake house manual</h1>");
        for (int room = 1; room <= 300; room++) {
            html.append("<h2>Room ")
                    .append(room)
                    .append("</h2><p>Room ")
                    .append(room)
                    .append(" has a reading lamp, a wardrobe with ")
                    .append(room % 7 + 2)
                    .append(" hangers and a window onto the lake.</p>");
        }
        return html.append("</main></body></html>").toString();
    }

    private static FilePayload file(String name, String type, String content) {
        return new FilePayload(name, type, content.getBytes(StandardCharsets.UTF_8));
    }
}
