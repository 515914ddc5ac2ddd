package io.switchboard.assistant;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
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
 * What a bot reply may carry to a customer, decided by the platform rather than hoped for from
 * the model. A reply that gives away the tenant's secret canary or a long verbatim span of the
 * system prompt is blocked; links and images survive only to the tenant's own sites and the
 * cited articles (markdown URLs are how prompt injections exfiltrate data); HTML never passes.
 * Links are judged as a CommonMark parser and as the widget read them, never by a pattern that
 * a renderer might read differently.
 */
final class OutputGuard {

    /** Verbatim characters of the system prompt that count as leaking it. */
    static final int LEAK_SPAN = 60;
    /**
     * Characters of the stream held back: a leak is recognised once {@link #LEAK_SPAN} characters
     * of it exist, so holding back at least that many keeps all of it from the customer.
     */
    static final int HOLD_BACK = LEAK_SPAN + 4;

    static final String CANARY_LEAK = "canary";
    /**
     * Characters of the canary in a row that count as giving it away: eight random letters and
     * digits occur in no honest reply, and a model asked for the marker a piece at a time gives
     * pieces at least this long or many replies in a row (which are read together).
     */
    static final int CANARY_FRAGMENT = 8;

    static final String PROMPT_LEAK = "system_prompt";
    /** Cyrillic and Greek lower-case letters that look like the Latin letter at the same place in {@link #LATIN_OF_LOOK_ALIKES}. */
    private static final String LOOK_ALIKES = "авсеһіјкмнорѕтухьԁԛԝαβεικνορτυχ";

    private static final String LATIN_OF_LOOK_ALIKES = "abcehijkmhopstyxbdqwabeikvoptux";

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

    private static final Pattern CITATION = Pattern.compile("\\[\\d{1,2}]");
    private static final Pattern ENTITY =
            Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});");
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

    /** A reply after review: the text to show, whether it was blocked and why, and how much was taken out. */
    record Review(String text, Optional<String> blocked, int removed) {}

    private final String canary;
    private final PromptSpans promptSpans;
    private final Set<String> allowedHosts;
    /** The conversation's earlier bot replies in the canary's form: a canary given out in pieces over several replies is still a leak. */
    private final String earlierReplies;

    OutputGuard(String canary, String systemPrompt, Set<String> allowedHosts) {
        this(canary, systemPrompt, allowedHosts, "");
    }

    /**
     * @param systemPrompt what the model was told before the knowledge passages (quoting the passages is fine)
     * @param allowedHosts hosts links may point at: the tenant's sites and the cited articles'
     * @param earlierReplies the conversation's earlier bot replies, oldest first
     */
    OutputGuard(String canary, String systemPrompt, Set<String> allowedHosts, String earlierReplies) {
        this.canary = alphanumeric(canary);
        this.promptSpans = new PromptSpans(normalize(systemPrompt));
        this.allowedHosts = allowedHosts;
        String earlier = alphanumeric(earlierReplies);
        this.earlierReplies = earlier.substring(Math.max(0, earlier.length() - this.canary.length() * 4));
    }

    /** Why this text must not reach the customer at all, if it must not. */
    Optional<String> leak(CharSequence text) {
        return watch().append(text);
    }

    /** A leak check for a reply that arrives in pieces: each piece costs what it adds, not what came before. */
    LeakWatch watch() {
        return new LeakWatch();
    }

    /**
     * The reply so far in the two forms leaks are looked for in (letters and digits only, for the
     * canary; lower case with whitespace collapsed, for prompt spans), and how much was checked.
     */
    final class LeakWatch {

        private final StringBuilder alphanumeric = new StringBuilder(earlierReplies);
        private final StringBuilder normalized = new StringBuilder();
        private int spansChecked;
        private long windowHash;

        Optional<String> append(CharSequence fragment) {
            int alphanumericBefore = alphanumeric.length();
            appendForms(fragment, alphanumeric, normalized);
            if (canaryPieceIn(Math.max(0, alphanumericBefore - CANARY_FRAGMENT + 1))) {
                return Optional.of(CANARY_LEAK);
            }
            // Each window of the reply is hashed by rolling the previous one forward: no copy per position.
            for (int start = spansChecked; start + LEAK_SPAN <= normalized.length(); start++) {
                windowHash = start == 0
                        ? PromptSpans.hash(normalized, 0)
                        : PromptSpans.roll(
                                windowHash, normalized.charAt(start - 1), normalized.charAt(start + LEAK_SPAN - 1));
                spansChecked = start + 1;
                if (promptSpans.contains(windowHash, normalized, start)) {
                    return Optional.of(PROMPT_LEAK);
                }
            }
            return Optional.empty();
        }

        /** Whether {@link #CANARY_FRAGMENT} characters of the canary in a row (all of it, if shorter) start at or after {@code from}. */
        private boolean canaryPieceIn(int from) {
            int length = Math.min(CANARY_FRAGMENT, canary.length());
            for (int start = from; length > 0 && start + length <= alphanumeric.length(); start++) {
                char first = alphanumeric.charAt(start);
                for (int at = canary.indexOf(first);
                        at >= 0 && at + length <= canary.length();
                        at = canary.indexOf(first, at + 1)) {
                    if (regionEquals(alphanumeric, start, canary, at, length)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static boolean regionEquals(CharSequence text, int start, String other, int otherStart, int length) {
        for (int i = 0; i < length; i++) {
            if (text.charAt(start + i) != other.charAt(otherStart + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Every {@link #LEAK_SPAN} characters of the prompt in a row, as rolling hashes in a sorted
     * array: a reply's window is looked up without copying it, and compared for real on a hit.
     */
    private static final class PromptSpans {

        private static final long BASE = 1_000_003;
        private static final long BASE_TO_SPAN;

        static {
            long power = 1;
            for (int i = 0; i < LEAK_SPAN - 1; i++) {
                power *= BASE;
            }
            BASE_TO_SPAN = power;
        }

        private final String prompt;
        private final long[] hashes;
        /** Where in the prompt each hash (in the same order) starts. */
        private final int[] starts;

        PromptSpans(String prompt) {
            this.prompt = prompt;
            int count = Math.max(0, prompt.length() - LEAK_SPAN + 1);
            long[][] pairs = new long[count][];
            long hash = 0;
            for (int start = 0; start < count; start++) {
                hash = start == 0
                        ? hash(prompt, 0)
                        : roll(hash, prompt.charAt(start - 1), prompt.charAt(start + LEAK_SPAN - 1));
                pairs[start] = new long[] {hash, start};
            }
            java.util.Arrays.sort(pairs, java.util.Comparator.comparingLong(pair -> pair[0]));
            hashes = new long[count];
            starts = new int[count];
            for (int i = 0; i < count; i++) {
                hashes[i] = pairs[i][0];
                starts[i] = (int) pairs[i][1];
            }
        }

        static long hash(CharSequence text, int start) {
            long hash = 0;
            for (int i = start; i < start + LEAK_SPAN; i++) {
                hash = hash * BASE + text.charAt(i);
            }
            return hash;
        }

        static long roll(long hash, char leaving, char entering) {
            return (hash - leaving * BASE_TO_SPAN) * BASE + entering;
        }

        boolean contains(long hash, CharSequence text, int start) {
            int found = java.util.Arrays.binarySearch(hashes, hash);
            if (found < 0) {
                return false;
            }
            // Equal hashes sit side by side; any of them may be the real match.
            int first = found;
            while (first > 0 && hashes[first - 1] == hash) {
                first--;
            }
            for (int i = first; i < hashes.length && hashes[i] == hash; i++) {
                if (regionEquals(text, start, prompt, starts[i], LEAK_SPAN)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The whole reply, checked and cleaned; {@code safeAnswer} replaces a blocked one. */
    Review review(String text, String safeAnswer) {
        Optional<String> leaked = leak(text);
        if (leaked.isPresent()) {
            return new Review(safeAnswer, leaked, text.length());
        }
        if (nothingToClean(text)) {
            return new Review(text, Optional.empty(), 0);
        }
        return cleaned(text, safeAnswer);
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
            edits.sort(java.util.Comparator.comparingInt(Edit::start));
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

    /**
     * How much of a streaming reply may go out now: not the last {@link #HOLD_BACK} characters,
     * and nothing from the first link, image, URL, tag or character reference on, which only the
     * reviewed whole may show.
     */
    static int streamable(CharSequence text, int from) {
        int limit = text.length() - HOLD_BACK;
        for (int i = from; i < limit; i++) {
            char c = text.charAt(i);
            if (c == '<' || c == '!' && i + 1 < text.length() && text.charAt(i + 1) == '[') {
                return i;
            }
            if (c == '[' && !citationAt(text, i)) {
                return i;
            }
            if (c == '&'
                    && ENTITY.matcher(text)
                            .region(i, Math.min(text.length(), i + 40))
                            .lookingAt()) {
                return i;
            }
            if ("hHwWｈＨｗＷ".indexOf(c) >= 0 && startsUrl(text, i)) {
                return i;
            }
        }
        return Math.max(from, limit);
    }

    private static boolean citationAt(CharSequence text, int at) {
        Matcher citation = CITATION.matcher(text).region(at, Math.min(text.length(), at + 4));
        return citation.lookingAt();
    }

    private static boolean startsUrl(CharSequence text, int at) {
        String ahead = Normalizer.normalize(text.subSequence(at, Math.min(text.length(), at + 8)), Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT);
        return ahead.startsWith("http") || ahead.startsWith("www.");
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
        if (!java.util.Arrays.stream(host.split("\\.", -1))
                .allMatch(label -> HOST_LABEL.matcher(label).matches())) {
            return false;
        }
        return allowedHosts.stream().anyMatch(allowed -> host.equals(allowed) || host.endsWith("." + allowed));
    }

    private static String replace(
            Pattern pattern, String text, java.util.function.Function<Matcher, String> replacement) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Lower case with runs of whitespace as one space: how a prompt looks however a reply re-wraps it. */
    private static String normalize(String text) {
        StringBuilder normalized = new StringBuilder();
        appendForms(text, new StringBuilder(), normalized);
        return normalized.toString();
    }

    /** Letters and digits only, lower case: the canary however a reply spaces or punctuates it. */
    private static String alphanumeric(String text) {
        StringBuilder alphanumeric = new StringBuilder();
        appendForms(text, alphanumeric, new StringBuilder());
        return alphanumeric.toString();
    }

    /**
     * Letters that read as ASCII letters or digits: compatibility forms (full-width, circled,
     * mathematical) and the Cyrillic and Greek letters that look like Latin ones.
     */
    private static void appendLookAlikes(char c, StringBuilder alphanumeric) {
        String compatible =
                Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        for (int i = 0; i < compatible.length(); i++) {
            char folded = compatible.charAt(i);
            int lookAlike = LOOK_ALIKES.indexOf(folded);
            folded = lookAlike >= 0 ? LATIN_OF_LOOK_ALIKES.charAt(lookAlike) : folded;
            if (folded >= 'a' && folded <= 'z' || folded >= '0' && folded <= '9') {
                alphanumeric.append(folded);
            }
        }
    }

    private static void appendForms(CharSequence text, StringBuilder alphanumeric, StringBuilder normalized) {
        for (int i = 0; i < text.length(); i++) {
            char c = Character.toLowerCase(text.charAt(i));
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                alphanumeric.append(c);
            } else if (c > 127) {
                appendLookAlikes(c, alphanumeric);
            }
            if (!Character.isWhitespace(c)) {
                normalized.append(c);
            } else if (!normalized.isEmpty() && normalized.charAt(normalized.length() - 1) != ' ') {
                normalized.append(' ');
            }
        }
    }
}
