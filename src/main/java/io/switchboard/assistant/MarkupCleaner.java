package io.switchboard.assistant;

import io.switchboard.assistant.OutputGuard.Review;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Markup a reply may carry: links and images survive only to the tenant's own sites and the cited
 * articles (markdown URLs are how prompt injections exfiltrate data) and HTML never passes.
 * Links are judged as a CommonMark parser and as the widget read them, never by a pattern that a
 * renderer might read differently.
 */
final class MarkupCleaner {

    /**
     * A link as the widget reads one (widget.js, renderText): a label without brackets, then a
     * destination without parentheses or spaces. The guard's last pass reads replies with this
     * same grammar, so whatever the widget would make clickable has been checked.
     */
    static final Pattern WIDGET_LINK = Pattern.compile("\\[([^\\[\\]]+)\\]\\(([^()\\s]+)\\)");
    /** How the widget read links before it took {@link #WIDGET_LINK}: a browser may still run that script from its cache. */
    private static final Pattern EARLIER_WIDGET_LINK = Pattern.compile("\\[([^\\]]+)\\]\\(([^)\\s]+)\\)");
    /**
     * The only URLs a reply may link to: http(s), an ASCII host name (no user-info, no
     * percent-escapes, no look-alike letters), an optional port, then a path. widget.js holds the same pattern.
     */
    private static final Pattern SAFE_URL = Pattern.compile(
            "https?://([a-z0-9.-]++)(?::[0-9]{1,5}+)?+(?:[/?#][^\\s<>\"'`\\\\]*+)?+", Pattern.CASE_INSENSITIVE);
    /** A host name label: letters, digits and inner hyphens. */
    private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    /** No word boundary before it: "examplehttps://…" shows a URL too. */
    private static final Pattern BARE_URL =
            Pattern.compile("(?:https?://|www\\.)[^\\s<>()\\[\\]]+", Pattern.CASE_INSENSITIVE);
    /** A tag ends at the next angle bracket, so a run of unclosed ones costs one scan, not one per bracket. */
    private static final Pattern HTML_TAG = Pattern.compile("</?[A-Za-z!][^<>]*>");
    /** What is left of a tag that never closes: a browser would still read it as one. */
    private static final Pattern TAG_OPENING = Pattern.compile("<(?=[A-Za-z!/?])");

    static final Pattern CITATION = Pattern.compile("\\[\\d{1,2}]");
    private static final Parser MARKDOWN = Parser.builder()
            .includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES)
            .build();
    /**
     * Cleaning repeats until a pass changes nothing, since removing markup can join the pieces of
     * a link. Each pass removes markup, so an honest reply needs two; one still changing after this
     * many was built to hide something, and the safe answer replaces it.
     */
    static final int MAX_PASSES = 8;

    static final String UNSAFE_MARKUP = "unsafe_markup";

    private final Set<String> allowedHosts;

    /** @param allowedHosts hosts links may point at: the tenant's sites and the cited articles' */
    MarkupCleaner(Set<String> allowedHosts) {
        this.allowedHosts = allowedHosts;
    }

    /**
     * Whether cleaning would leave the text as it is, decided without parsing it (most grounded
     * answers): no HTML, autolink, character reference, escape or image can be in it, every bracket
     * is a citation or a link the widget reads to an allowed URL, every bare URL is allowed, and the
     * text is its own compatibility form. Anything else goes through the whole cleaning.
     */
    boolean nothingToClean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '<' || c == '&' || c == '\\' || c == '!' && i + 1 < text.length() && text.charAt(i + 1) == '[') {
                return false;
            }
            if (c == '[') {
                Matcher citation = CITATION.matcher(text).region(i, text.length());
                if (citation.lookingAt()) {
                    // "[1]: url" defines a link, "[1](url)" and "[1][x]" are links
                    if (citation.end() < text.length() && "(:[".indexOf(text.charAt(citation.end())) >= 0) {
                        return false;
                    }
                    continue;
                }
                Matcher link = WIDGET_LINK.matcher(text).region(i, text.length());
                if (!link.lookingAt() || !allowed(link.group(2))) {
                    return false;
                }
                i = link.end() - 1;
            }
        }
        return BARE_URL.matcher(text).results().allMatch(url -> allowed(url.group()))
                && Normalizer.isNormalized(text, Normalizer.Form.NFKC);
    }

    /** The whole cleaning: parsed, judged and cleaned until a pass changes nothing. */
    Review cleaned(String text, String safeAnswer) {
        int removed = 0;
        String cleaned = text;
        for (int pass = 0; pass <= MAX_PASSES; pass++) {
            Cleaning cleaning = new Cleaning(cleaned);
            if (cleaning.result.equals(cleaned)) {
                return new Review(cleaned, Optional.empty(), removed);
            }
            removed += Math.max(1, cleaning.removed);
            cleaned = cleaning.result;
        }
        return new Review(safeAnswer, Optional.of(UNSAFE_MARKUP), text.length());
    }

    /**
     * One pass over a reply: the markdown is parsed (CommonMark, which also finds inline and block
     * HTML), every link, image, link definition and piece of HTML is judged on what the parser
     * read, and the verdicts are applied to the source text; then the text is read again as the
     * widget reads it (and as its earlier version did) and for bare URLs.
     */
    private final class Cleaning extends AbstractVisitor {

        private final String source;
        private final List<Edit> edits = new ArrayList<>();
        private int removed;
        private final String result;

        private record Edit(int start, int end, String replacement) {}

        Cleaning(String text) {
            this.source = compatibilityFormIfItHidesLinks(text);
            MARKDOWN.parse(source).accept(this);
            String edited = applyEdits();
            edited = replace(HTML_TAG, edited, tag -> remove(""));
            edited = replace(TAG_OPENING, edited, opening -> remove("< "));
            edited = replace(WIDGET_LINK, edited, this::keptLink);
            edited = replace(EARLIER_WIDGET_LINK, edited, this::keptLink);
            this.result = replace(BARE_URL, edited, this::keptUrl);
        }

        @Override
        public void visit(Link link) {
            if (allowed(link.getDestination())) {
                visitChildren(link);
            } else {
                edit(link, remove(sourceOf(link.getFirstChild(), link.getLastChild())));
            }
        }

        @Override
        public void visit(Image image) {
            if (allowed(image.getDestination())) {
                visitChildren(image);
            } else {
                edit(image, remove(""));
            }
        }

        @Override
        public void visit(LinkReferenceDefinition definition) {
            if (!allowed(definition.getDestination())) {
                edit(definition, remove(""));
            }
        }

        @Override
        public void visit(HtmlInline html) {
            edit(html, remove(""));
        }

        @Override
        public void visit(HtmlBlock html) {
            edit(html, remove(HTML_TAG.matcher(html.getLiteral()).replaceAll("")));
        }

        /** Text as the parser decoded it: a URL spelled with entities or escapes is a URL. */
        @Override
        public void visit(Text text) {
            withoutForeignUrls(text, text.getLiteral());
        }

        @Override
        public void visit(Code code) {
            withoutForeignUrls(code, code.getLiteral());
        }

        private void withoutForeignUrls(Node node, String decoded) {
            String cleaned = replace(BARE_URL, decoded, this::keptUrl);
            if (!cleaned.equals(decoded)) {
                edit(node, cleaned);
            }
        }

        /** A link as it may stay: itself when its URL is allowed, else its label. */
        private String keptLink(Matcher link) {
            return allowed(link.group(2)) ? link.group() : remove(link.group(1));
        }

        /** A bare URL as it may stay: itself when allowed, else a note that a link was taken out. */
        private String keptUrl(Matcher url) {
            return allowed(url.group()) ? url.group() : remove("(link removed)");
        }

        private String remove(String replacement) {
            removed++;
            return replacement;
        }

        private void edit(Node node, String replacement) {
            List<SourceSpan> spans = node.getSourceSpans();
            if (!spans.isEmpty()) {
                SourceSpan last = spans.get(spans.size() - 1);
                edits.add(new Edit(spans.get(0).getInputIndex(), last.getInputIndex() + last.getLength(), replacement));
            }
        }

        private String sourceOf(Node first, Node last) {
            if (first == null
                    || first.getSourceSpans().isEmpty()
                    || last.getSourceSpans().isEmpty()) {
                return "";
            }
            SourceSpan end = last.getSourceSpans().get(last.getSourceSpans().size() - 1);
            return source.substring(
                    first.getSourceSpans().get(0).getInputIndex(), end.getInputIndex() + end.getLength());
        }

        private String applyEdits() {
            edits.sort(Comparator.comparingInt(Edit::start));
            StringBuilder out = new StringBuilder(source.length());
            int at = 0;
            for (Edit edit : edits) {
                if (edit.start() >= at) {
                    out.append(source, at, edit.start()).append(edit.replacement());
                    at = edit.end();
                }
            }
            return out.append(source, at, source.length()).toString();
        }
    }

    /**
     * The text in compatibility form (NFKC) when that form shows other URLs than the text does:
     * full-width letters ("ｈｔｔｐｓ：／／") read as ASCII in browsers and to customers alike.
     */
    private static String compatibilityFormIfItHidesLinks(String text) {
        if (Normalizer.isNormalized(text, Normalizer.Form.NFKC)) {
            return text;
        }
        String compatible = Normalizer.normalize(text, Normalizer.Form.NFKC);
        return urlsIn(compatible).equals(urlsIn(text)) ? text : compatible;
    }

    private static List<String> urlsIn(String text) {
        return BARE_URL.matcher(text).results().map(MatchResult::group).toList();
    }

    private boolean allowed(String url) {
        String candidate = url.strip();
        if (candidate.toLowerCase(Locale.ROOT).startsWith("www.")) {
            candidate = "https://" + candidate;
        }
        Matcher safe = SAFE_URL.matcher(candidate);
        if (!safe.matches()) {
            return false;
        }
        String host = safe.group(1).toLowerCase(Locale.ROOT);
        if (!Arrays.stream(host.split("\\.", -1))
                .allMatch(label -> HOST_LABEL.matcher(label).matches())) {
            return false;
        }
        return allowedHosts.stream().anyMatch(allowed -> host.equals(allowed) || host.endsWith("." + allowed));
    }

    private static String replace(Pattern pattern, String text, Function<Matcher, String> replacement) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher)));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
