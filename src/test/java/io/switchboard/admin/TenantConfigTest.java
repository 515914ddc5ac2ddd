package io.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.assistant.RequiredCitations;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tenants-config is validated as a whole, reported precisely, and applied idempotently. */
@QuarkusTest
class TenantConfigTest {

    @Inject
    TenantConfigLoader loader;

    @Inject
    TenantService tenants;

    @TempDir
    Path directory;

    @Test
    void appliesATenantFileAndReapplyingItChangesNothing() throws IOException {
        String slug = freshSlug();
        write(slug + ".yaml", tenantYaml(slug, "Acme Rentals"));
        write(slug + "-kb/returns.md", """
                ---
                title: Returns
                url: https://acme.example/help/returns
                tags: [returns]
                ---
                ## Returning an item
                You can return any item within 30 days.
                """);

        loader.load(directory);
        TenantSettings first = tenants.findBySlug(slug).orElseThrow();
        loader.load(directory);
        TenantSettings second = tenants.findBySlug(slug).orElseThrow();

        assertThat(first.name()).isEqualTo("Acme Rentals");
        assertThat(first.allowedOrigins()).containsExactly("https://acme.example");
        assertThat(first.greeting()).isEqualTo("Welcome to Acme");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aChangedFileUpdatesTheTenantAndBumpsItsConfigurationVersion() throws IOException {
        String slug = freshSlug();
        write(slug + ".yaml", tenantYaml(slug, "Acme Rentals"));
        loader.load(directory);
        write(slug + ".yaml", tenantYaml(slug, "Acme Holiday Rentals"));
        loader.load(directory);

        TenantSettings tenant = tenants.findBySlug(slug).orElseThrow();
        assertThat(tenant.name()).isEqualTo("Acme Holiday Rentals");
        assertThat(tenant.configVersion()).isEqualTo(2);
    }

    @Test
    void aTenantFileRequiresCitationsWhenItSaysSo() throws IOException {
        String slug = freshSlug();
        write(
                slug + ".yaml",
                tenantYaml(slug, "Acme")
                        .replace(
                                "  greeting: Welcome to Acme\n",
                                "  greeting: Welcome to Acme\n  requireCitations: true\n"));
        loader.load(directory);

        assertThat(RequiredCitations.of(tenants.findBySlug(slug).orElseThrow())).isTrue();
    }

    @Test
    void anUnknownFieldIsReportedWithFileAndField() throws IOException {
        String slug = freshSlug();
        write(slug + ".yaml", tenantYaml(slug, "Acme").replace("  persona:", "  persnoa:"));

        assertThatThrownBy(() -> loader.load(directory))
                .isInstanceOf(TenantConfigException.class)
                .hasMessageContaining(slug + ".yaml: assistant.persnoa: unknown field");
        assertThat(tenants.findBySlug(slug)).isEmpty();
    }

    @Test
    void aWidgetColourTooLightForWhiteTextAndAnUnknownLanguageAreReported() throws IOException {
        String slug = freshSlug();
        write(slug + ".yaml", tenantYaml(slug, "Acme") + """
                widget:
                  look: { title: Acme help, colour: "#ffd400", position: left, language: klingon }
                """);

        assertThatThrownBy(() -> loader.load(directory))
                .isInstanceOf(TenantConfigException.class)
                .hasMessageContaining(slug + ".yaml: widget.look.colourReadable: colour is too light for white text")
                .hasMessageContaining(slug + ".yaml: widget.look.language: must be en, es, fr, de or zh");
        assertThat(tenants.findBySlug(slug)).isEmpty();
    }

    @Test
    void aBadSlugIsReported() throws IOException {
        write("Bad_Slug.yaml", tenantYaml("Bad_Slug", "Acme"));

        assertThatThrownBy(() -> loader.load(directory))
                .isInstanceOf(TenantConfigException.class)
                .hasMessageContaining("Bad_Slug.yaml: slug: must be 1-63 lower-case letters, digits or inner hyphens");
    }

    @Test
    void aDuplicateSlugIsReportedAndNeitherFileIsApplied() throws IOException {
        String slug = freshSlug();
        write(slug + ".yaml", tenantYaml(slug, "Acme"));
        write(slug + ".yml", tenantYaml(slug, "Acme again"));

        assertThatThrownBy(() -> loader.load(directory))
                .isInstanceOf(TenantConfigException.class)
                .hasMessageContaining(slug + ".yml: slug: duplicate slug '" + slug + "'");
        assertThat(tenants.findBySlug(slug)).isEmpty();
    }

    @Test
    void aMissingModelEndpointIsReported() throws IOException {
        String slug = freshSlug();
        write(slug + ".yaml", tenantYaml(slug, "Acme").replace("endpoint: builtin", "endpoint: nowhere"));

        assertThatThrownBy(() -> loader.load(directory))
                .isInstanceOf(TenantConfigException.class)
                .hasMessageContaining(slug + ".yaml: model.primary: model endpoint 'nowhere' is not in the catalogue");
    }

    @Test
    void everyProblemInTheDirectoryIsReportedAndNothingIsAppliedWhenOneFileIsBad() throws IOException {
        String good = freshSlug();
        String bad = freshSlug();
        write(good + ".yaml", tenantYaml(good, "Good"));
        write(
                bad + ".yaml",
                tenantYaml(bad, "Bad")
                        .replace("https://acme.example", "acme.example/path")
                        .replace("name: Bad", "name: ''"));

        assertThatThrownBy(() -> loader.load(directory))
                .isInstanceOfSatisfying(
                        TenantConfigException.class,
                        e -> assertThat(e.problems()).hasSize(2))
                .hasMessageContaining(bad + ".yaml: name: must not be blank")
                .hasMessageContaining(bad + ".yaml: allowedOrigins[0].<list element>: must be an origin");
        assertThat(tenants.findBySlug(good)).isEmpty();
    }

    @Test
    void anArticleWithoutFrontMatterIsReported() throws IOException {
        String slug = freshSlug();
        write(slug + ".yaml", tenantYaml(slug, "Acme"));
        write(slug + "-kb/plain.md", "Just text, no title");

        assertThatThrownBy(() -> loader.load(directory))
                .isInstanceOf(TenantConfigException.class)
                .hasMessageContaining("plain.md: must start with a '---' front matter block");
    }

    private static String freshSlug() {
        return "cfg-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String tenantYaml(String slug, String name) {
        return """
                slug: %s
                name: %s
                allowedOrigins: [https://acme.example]
                assistant:
                  persona: You are Acme's assistant.
                  instructions: Be brief.
                  greeting: Welcome to Acme
                model:
                  primary: { endpoint: builtin, model: retrieval }
                knowledge:
                  directory: %s-kb
                """.formatted(slug, name, slug);
    }

    private void write(String name, String content) throws IOException {
        Path file = directory.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        if (name.matches(".*\\.ya?ml$")) {
            Files.createDirectories(directory.resolve(name.replaceFirst("\\.ya?ml$", "") + "-kb"));
        }
    }
}
