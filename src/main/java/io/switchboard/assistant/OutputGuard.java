package io.switchboard.assistant;

import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a bot reply may carry to a customer, decided by the platform rather than hoped for from
 * the model. A reply that gives away the tenant's secret canary or a long verbatim span of the
 * system prompt is blocked; links and images survive only to the tenant's own sites and the
 * cited articles (markdown URLs are how prompt injections exfiltrate data); HTML never passes.
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
    static final String PROMPT_LEAK = "system_prompt";

    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)\\]\\(\\s*<?([^)\\s>]*)>?[^)]*\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\(\\s*<?([^)\\s>]*)>?[^)]*\\)");
    private static final Pattern BARE_URL = Pattern.compile("\\b(?:https?://|www\\.)[^\\s<>()\\[\\]]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern HTML_TAG = Pattern.compile("</?[A-Za-z!][^>]*>");
    private static final Pattern CITATION = Pattern.compile("\\[\\d{1,2}]");

    /** A reply after review: the text to show, whether it was blocked and why, and how much was taken out. */
    record Review(String text, Optional<String> blocked, int removed) {
    }

    private final String canary;
    private final Set<String> promptSpans;
    private final Set<String> allowedHosts;

    /**
     * @param systemPrompt what the model was told before the knowledge passages (quoting the passages is fine)
     * @param allowedHosts hosts links may point at: the tenant's sites and the cited articles'
     */
    OutputGuard(String canary, String systemPrompt, Set<String> allowedHosts) {
        this.canary = alphanumeric(canary);
        this.promptSpans = spans(normalize(systemPrompt));
        this.allowedHosts = allowedHosts;
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

        private final StringBuilder alphanumeric = new StringBuilder();
        private final StringBuilder normalized = new StringBuilder();
        private int spansChecked;

        Optional<String> append(CharSequence fragment) {
            int alphanumericBefore = alphanumeric.length();
            appendForms(fragment, alphanumeric, normalized);
            if (!canary.isEmpty() && alphanumeric.indexOf(canary, Math.max(0, alphanumericBefore - canary.length() + 1)) >= 0) {
                return Optional.of(CANARY_LEAK);
            }
            for (int start = spansChecked; start + LEAK_SPAN <= normalized.length(); start++) {
                spansChecked = start + 1;
                if (promptSpans.contains(normalized.substring(start, start + LEAK_SPAN))) {
                    return Optional.of(PROMPT_LEAK);
                }
            }
            return Optional.empty();
        }
    }

    /** The whole reply, checked and cleaned; {@code safeAnswer} replaces a blocked one. */
    Review review(String text, String safeAnswer) {
        Optional<String> leaked = leak(text);
        if (leaked.isPresent()) {
            return new Review(safeAnswer, leaked, text.length());
        }
        int[] removed = {0};
        String cleaned = replace(IMAGE, text, image -> {
            if (allowed(image.group(2))) {
                return image.group();
            }
            removed[0]++;
            return "";
        });
        cleaned = replace(LINK, cleaned, link -> {
            if (allowed(link.group(2))) {
                return link.group();
            }
            removed[0]++;
            return link.group(1);
        });
        cleaned = replace(BARE_URL, cleaned, url -> {
            if (allowed(url.group())) {
                return url.group();
            }
            removed[0]++;
            return "(link removed)";
        });
        cleaned = replace(HTML_TAG, cleaned, tag -> {
            removed[0]++;
            return "";
        });
        return new Review(cleaned, Optional.empty(), removed[0]);
    }

    /**
     * How much of a streaming reply may go out now: not the last {@link #HOLD_BACK} characters,
     * and nothing from the first link, image, URL or tag on, which only the reviewed whole may show.
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
            if ((c == 'h' || c == 'H' || c == 'w' || c == 'W') && startsUrl(text, i)) {
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
        String ahead = text.subSequence(at, Math.min(text.length(), at + 8)).toString().toLowerCase(Locale.ROOT);
        return ahead.startsWith("http") || ahead.startsWith("www.");
    }

    private boolean allowed(String url) {
        String candidate = url.strip();
        if (candidate.toLowerCase(Locale.ROOT).startsWith("www.")) {
            candidate = "https://" + candidate;
        }
        try {
            URI uri = URI.create(candidate);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http"))
                    && allowedHosts.stream().anyMatch(allowed -> host.equals(allowed) || host.endsWith("." + allowed));
        } catch (IllegalArgumentException notAUrl) {
            return false;
        }
    }

    private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> replacement) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static Set<String> spans(String prompt) {
        Set<String> spans = new HashSet<>();
        for (int start = 0; start + LEAK_SPAN <= prompt.length(); start++) {
            spans.add(prompt.substring(start, start + LEAK_SPAN));
        }
        return spans;
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

    private static void appendForms(CharSequence text, StringBuilder alphanumeric, StringBuilder normalized) {
        for (int i = 0; i < text.length(); i++) {
            char c = Character.toLowerCase(text.charAt(i));
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                alphanumeric.append(c);
            }
            if (!Character.isWhitespace(c)) {
                normalized.append(c);
            } else if (!normalized.isEmpty() && normalized.charAt(normalized.length() - 1) != ' ') {
                normalized.append(' ');
            }
        }
    }
}
