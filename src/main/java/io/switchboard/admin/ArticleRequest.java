package io.switchboard.admin;

import io.switchboard.knowledge.ArticleDefinition;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A help article as written through the admin API: markdown text, at most 200 KB. */
public record ArticleRequest(
        @NotBlank(message = "must not be empty") @Size(max = 300)
        String title,

        @NotBlank(message = "must not be empty") String body,

        @Size(max = 2000) @Pattern(regexp = "^https?://\\S+$", message = "must be an http(s) URL")
        String url,

        @Size(max = 20) List<@NotBlank @Size(max = 50) String> tags,

        @Pattern(regexp = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$", message = "must be a language tag such as en or pt-BR")
        String language) {

    public static final int MAX_BODY_BYTES = 200 * 1024;

    @AssertTrue(message = "must be at most 200 KB of UTF-8 text")
    boolean isBodySmallEnough() {
        return body == null || body.getBytes(StandardCharsets.UTF_8).length <= MAX_BODY_BYTES;
    }

    /** Markdown or plain text only: binary content (PDFs, images) pasted into the body is refused. */
    @AssertTrue(message = "must be markdown or plain text, not binary content")
    boolean isBodyText() {
        return body == null || body.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t');
    }

    public ArticleDefinition toDefinition() {
        return new ArticleDefinition(null, title.strip(), body.strip(), url, tags, language);
    }
}
