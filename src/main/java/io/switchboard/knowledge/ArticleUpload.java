package io.switchboard.knowledge;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Turns an uploaded help file into an article: markdown (with or without front matter), an HTML
 * page (its main text, headings and lists kept as markdown; scripts, styles and navigation
 * dropped) or plain text (the first line is the title). Anything else is refused with the reason.
 */
public final class ArticleUpload {

    /** Files larger than this are refused before they are read as text. */
    public static final int MAX_FILE_BYTES = 1024 * 1024;

    private ArticleUpload() {}

    /** The article a file holds; IllegalArgumentException says why it cannot be one. */
    public static ArticleDefinition read(String fileName, byte[] content) {
        if (content.length == 0) {
            throw new IllegalArgumentException("the file is empty");
        }
        if (content.length > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("the file is larger than 1 MB");
        }
        String name = fileName == null ? "" : fileName.strip();
        String lower = name.toLowerCase(Locale.ROOT);
        String text = utf8(content).replace("\r\n", "\n");
        ArticleDefinition article;
        if (lower.endsWith(".md") || lower.endsWith(".markdown")) {
            article = text.startsWith("---\n") ? ArticleFiles.parse(null, text) : fromPlainText(stem(name), text, true);
        } else if (lower.endsWith(".html") || lower.endsWith(".htm")) {
            article = fromHtml(stem(name), text);
        } else if (lower.endsWith(".txt")) {
            article = fromPlainText(stem(name), text, false);
        } else {
            throw new IllegalArgumentException(
                    "only markdown (.md), HTML (.html) and plain text (.txt) files can be imported");
        }
        if (article.body().isBlank()) {
            throw new IllegalArgumentException("the file holds no article text");
        }
        if (article.body().length() > ArticleDefinition.MAX_BODY_CHARS) {
            throw new IllegalArgumentException("the article text is longer than 200 KB");
        }
        return article;
    }

    private static ArticleDefinition fromPlainText(String fallbackTitle, String text, boolean markdown) {
        String stripped = text.strip();
        int lineEnd = stripped.indexOf('\n');
        String firstLine = (lineEnd < 0 ? stripped : stripped.substring(0, lineEnd)).strip();
        boolean heading = markdown && firstLine.startsWith("# ");
        if (!heading && markdown) {
            return new ArticleDefinition(null, fallbackTitle, stripped, null, List.of(), null);
        }
        String title = heading ? firstLine.substring(2).strip() : firstLine;
        String body = lineEnd < 0 ? "" : stripped.substring(lineEnd + 1).strip();
        return new ArticleDefinition(null, title.isEmpty() ? fallbackTitle : title, body, null, List.of(), null);
    }

    private static ArticleDefinition fromHtml(String fallbackTitle, String html) {
        Document page = Jsoup.parse(html);
        page.select("script, style, noscript, nav, header, footer, aside, form, iframe, template")
                .remove();
        Element main = page.selectFirst("main, article");
        Element content = main != null ? main : page.body();
        Element h1 = content.selectFirst("h1");
        String title = h1 != null ? h1.text() : !page.title().isBlank() ? page.title() : fallbackTitle;
        if (h1 != null) {
            h1.remove();
        }
        StringBuilder body = new StringBuilder();
        for (Element block : content.select("h2, h3, h4, p, li, pre, td")) {
            String text = block.text().strip();
            if (text.isEmpty() || block.parents().stream().anyMatch(parent -> parent.is("p, li, pre"))) {
                continue;
            }
            switch (block.tagName()) {
                case "h2" -> body.append("\n## ").append(text).append("\n\n");
                case "h3", "h4" -> body.append("\n### ").append(text).append("\n\n");
                case "li" -> body.append("- ").append(text).append('\n');
                default -> body.append(text).append("\n\n");
            }
        }
        String lang =
                page.selectFirst("html") == null ? "" : page.selectFirst("html").attr("lang");
        return new ArticleDefinition(
                null,
                title.strip(),
                body.toString().strip(),
                null,
                List.of(),
                lang.matches("[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})?") ? lang : null);
    }

    private static String utf8(byte[] content) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content))
                    .toString();
        } catch (CharacterCodingException notText) {
            throw new IllegalArgumentException("the file is not UTF-8 text");
        }
    }

    private static String stem(String fileName) {
        String base = fileName.replaceAll(".*[/\\\\]", "");
        int dot = base.lastIndexOf('.');
        return (dot > 0 ? base.substring(0, dot) : base)
                .replace('-', ' ')
                .replace('_', ' ')
                .strip();
    }
}
