package io.switchboard.handoff;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Deterministic escalation triggers, checked on every customer message before the bot may
 * answer: they never depend on a model behaving.
 */
public final class HandoffTriggers {

    /** Chat-template control tokens of open-weight models: seen in a reply, the server's template is broken. */
    private static final Pattern CONTROL_TOKENS = Pattern.compile(
            "<\\|(im_start|im_end|endoftext|eot_id|eom_id|start_header_id|end_header_id|begin_of_text)\\|>|</s>|\\[/?INST\\]");
    /** A function call written as text instead of an answer. */
    private static final Pattern TOOL_CALL =
            Pattern.compile("(?s)^\\s*(<tool_call>|\\{\\s*\"(name|tool_calls|function)\"\\s*:).*");

    private static final char REPLACEMENT_CHARACTER = '\uFFFD';

    private HandoffTriggers() {}

    /**
     * What makes a model's reply unfit to show a customer, if anything: leaked chat-template
     * tokens, only reasoning and no answer, a tool call as text, or garbled characters. The
     * model answered (no failure), but not with something a person should read.
     */
    public static Optional<String> unusableAnswer(String reply) {
        String text = reply == null ? "" : reply.strip();
        if (CONTROL_TOKENS.matcher(text).find()) {
            return Optional.of("chat-template tokens in the reply");
        }
        if (text.startsWith("<think>")) {
            int end = text.indexOf("</think>");
            if (end < 0 || text.substring(end + "</think>".length()).isBlank()) {
                return Optional.of("reasoning without an answer");
            }
        }
        if (TOOL_CALL.matcher(text).matches()) {
            return Optional.of("a tool call instead of an answer");
        }
        long garbled = text.chars().filter(c -> c == REPLACEMENT_CHARACTER).count();
        if (garbled > 0 && garbled * 20 > text.length()) {
            return Optional.of("garbled characters");
        }
        return Optional.empty();
    }

    /** Why this message must go to a person, if it must. */
    public static Optional<EscalationReason> reasonFor(String text, EscalationRules rules) {
        if (PersonRequests.asksForAPerson(text)) {
            return Optional.of(EscalationReason.CUSTOMER_REQUEST);
        }
        String normalized = normalize(text);
        for (String keyword : rules.keywords()) {
            if (Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(normalize(keyword)) + "(?![\\p{L}\\p{N}])")
                    .matcher(normalized)
                    .find()) {
                return Optional.of(EscalationReason.KEYWORD);
            }
        }
        return Optional.empty();
    }

    /** Lower case, accents removed, apostrophes unified: a tenant's keyword matches however the customer typed it. */
    private static String normalize(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return decomposed.toLowerCase(Locale.ROOT).replace('’', '\'');
    }
}
