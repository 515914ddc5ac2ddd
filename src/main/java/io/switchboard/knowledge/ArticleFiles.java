package io.switchboard.knowledge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.switchboard.platform.YamlErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads markdown help articles with a YAML front matter block
 * ({@code title}, {@code url}, {@code tags}, {@code language}); the file name is the article key.
 */
public final class ArticleFiles {

    private record FrontMatter(String title, String url, List<String> tags, String language) {}

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ArticleFiles() {}

    public static List<ArticleDefinition> read(Path directory, List<String> problems) {
        List<ArticleDefinition> articles = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md"))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList()) {
                try {
                    articles.add(parse(
                            file.getFileName().toString().replaceFirst("\\.md$", ""),
                            Files.readString(file, StandardCharsets.UTF_8)));
                } catch (IllegalArgumentException | IOException e) {
                    problems.add(file + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            problems.add(directory + ": cannot be listed (" + e.getMessage() + ")");
        }
        return articles;
    }

    static ArticleDefinition parse(String key, String content) {
        String text = content.replace("\r\n", "\n");
        if (!text.startsWith("---\n")) {
            throw new IllegalArgumentException("must start with a '---' front matter block holding at least 'title'");
        }
        int end = text.indexOf("\n---", 4);
        if (end < 0) {
            throw new IllegalArgumentException("front matter is not closed with '---'");
        }
        FrontMatter meta;
        try {
            meta = YAML.readValue(text.substring(4, end), FrontMatter.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("front matter: " + YamlErrors.describe(e));
        }
        if (meta == null) {
            throw new IllegalArgumentException("front matter is empty; 'title' is required");
        }
        String body = text.substring(text.indexOf('\n', end + 1) + 1).strip();
        return new ArticleDefinition(key, meta.title(), body, meta.url(), meta.tags(), meta.language());
    }
}
