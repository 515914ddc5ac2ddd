package io.switchboard.assistant;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a reply gives away what only the platform and the model may know: the tenant's secret
 * canary (in any spacing, case or look-alike letters, also in pieces over several replies) or a
 * long verbatim span of the system prompt. Checked on the stream as it arrives, so each fragment
 * costs what it adds.
 */
final class PromptLeaks {

    /** Verbatim characters of the system prompt that count as leaking it. */
    static final int LEAK_SPAN = 60;

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

    private final String canary;
    private final PromptSpans promptSpans;
    /** The conversation's earlier bot replies in the canary's form: a canary given out in pieces over several replies is still a leak. */
    private final String earlierReplies;

    /**
     * @param systemPrompt what the model was told before the knowledge passages (quoting the passages is fine)
     * @param earlierReplies the conversation's earlier bot replies, oldest first
     */
    PromptLeaks(String canary, String systemPrompt, String earlierReplies) {
        this.canary = alphanumeric(canary);
        this.promptSpans = new PromptSpans(normalize(systemPrompt));
        String earlier = alphanumeric(earlierReplies);
        this.earlierReplies = earlier.substring(Math.max(0, earlier.length() - this.canary.length() * 4));
    }

    /** A leak check for a reply that arrives in pieces. */
    Watch watch() {
        return new Watch();
    }

    /**
     * The reply so far in the two forms leaks are looked for in (letters and digits only, for the
     * canary; lower case with whitespace collapsed, for prompt spans), and how much was checked.
     */
    final class Watch {

        private final StringBuilder alphanumeric = new StringBuilder(earlierReplies);
        private final StringBuilder normalized = new StringBuilder();
        private int spansChecked;
        private long windowHash;

        /** Why the reply so far must not reach the customer at all, if it must not. */
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
            Arrays.sort(pairs, Comparator.comparingLong(pair -> pair[0]));
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
            int found = Arrays.binarySearch(hashes, hash);
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
