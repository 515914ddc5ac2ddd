package io.switchboard.assistant;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a bot reply may carry to a customer, decided by the platform rather than hoped for from
 * the model. A reply that gives away the tenant's secret canary or a long verbatim span of the
 * system prompt is blocked ({@link PromptLeaks}); links and images survive only to the tenant's
 * own sites and the cited articles and HTML never passes ({@link MarkupCleaner}). While a reply
 * streams, whatever could still turn out to be either is held back until the whole is reviewed.
 */
final class OutputGuard {

    /**
     * Characters of the stream held back: a leak is recognised once {@link PromptLeaks#LEAK_SPAN}
     * characters of it exist, so holding back at least that many keeps all of it from the customer.
     */
    static final int HOLD_BACK = PromptLeaks.LEAK_SPAN + 4;

    static final String CANARY_LEAK = PromptLeaks.CANARY_LEAK;

    private static final Pattern ENTITY =
            Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});");

    /** A reply after review: the text to show, whether it was blocked and why, and how much was taken out. */
    record Review(String text, Optional<String> blocked, int removed) {}

    private final PromptLeaks leaks;
    private final MarkupCleaner markup;

    OutputGuard(String canary, String systemPrompt, Set<String> allowedHosts) {
        this(canary, systemPrompt, allowedHosts, "");
    }

    /**
     * @param systemPrompt what the model was told before the knowledge passages (quoting the passages is fine)
     * @param allowedHosts hosts links may point at: the tenant's sites and the cited articles'
     * @param earlierReplies the conversation's earlier bot replies, oldest first
     */
    OutputGuard(String canary, String systemPrompt, Set<String> allowedHosts, String earlierReplies) {
        this.leaks = new PromptLeaks(canary, systemPrompt, earlierReplies);
        this.markup = new MarkupCleaner(allowedHosts);
    }

    /** Why this text must not reach the customer at all, if it must not. */
    Optional<String> leak(CharSequence text) {
        return watch().append(text);
    }

    /** A leak check for a reply that arrives in pieces: each piece costs what it adds, not what came before. */
    PromptLeaks.Watch watch() {
        return leaks.watch();
    }

    /** The whole reply, checked and cleaned; {@code safeAnswer} replaces a blocked one. */
    Review review(String text, String safeAnswer) {
        Optional<String> leaked = leak(text);
        if (leaked.isPresent()) {
            return new Review(safeAnswer, leaked, text.length());
        }
        if (markup.nothingToClean(text)) {
            return new Review(text, Optional.empty(), 0);
        }
        return markup.cleaned(text, safeAnswer);
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
        Matcher citation = MarkupCleaner.CITATION.matcher(text).region(at, Math.min(text.length(), at + 4));
        return citation.lookingAt();
    }

    private static boolean startsUrl(CharSequence text, int at) {
        String ahead = Normalizer.normalize(text.subSequence(at, Math.min(text.length(), at + 8)), Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT);
        return ahead.startsWith("http") || ahead.startsWith("www.");
    }
}
