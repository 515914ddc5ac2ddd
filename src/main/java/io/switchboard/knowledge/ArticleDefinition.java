package io.switchboard.knowledge;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A help article as declared in tenants-config. {@code key} makes re-imports idempotent: the
 * file name for article files, or an explicit key for inline articles.
 */
public record ArticleDefinition(
        @NotBlank
        @Size(max = 200)
        @Pattern(regexp = "^[A-Za-z0-9._-]+$", message = "may hold only letters, digits, '.', '_' and '-'")
        String key,

        @NotBlank @Size(max = 300) String title,

        @NotBlank @Size(max = MAX_BODY_CHARS, message = "must be at most 200 KB")
        String body,

        @Size(max = 2000) @Pattern(regexp = "^https?://\\S+$", message = "must be an http(s) URL")
        String url,

        @Size(max = 20) List<@NotBlank @Size(max = 50) String> tags,
        @Size(max = 16) String language) {

    public static final int MAX_BODY_CHARS = 200 * 1024;

    /** The same article, written in this language. */
    ArticleDefinition inLanguage(String detected) {
        return new ArticleDefinition(key, title, body, url, tags, detected);
    }

    public ArticleDefinition {
        tags = tags == null ? List.of() : List.copyOf(tags);
        // Unknown until ingestion detects it from the text.
        language = language == null || language.isBlank() ? null : language;
    }
}
