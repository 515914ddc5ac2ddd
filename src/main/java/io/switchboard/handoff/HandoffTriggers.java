package io.switchboard.handoff;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Deterministic escalation triggers, checked on every customer message before the bot may
 * answer: they never depend on a model behaving.
 */
public final class HandoffTriggers {

    /** Asking for a person, in English, Spanish, French, German and Chinese; matched without accents or case. */
    private static final List<Pattern> HUMAN_REQUESTS = List.of(
            Pattern.compile(
                    "\\b(talk|speak|chat)\\s+(to|with)\\s+(a\\s+|an\\s+|the\\s+|some\\s+)?(real\\s+|live\\s+)?(human|person|people|agent|someone|somebody|representative|operator)\\b"),
            Pattern.compile("\\b(human|live)\\s+(agent|support|person)\\b"),
            Pattern.compile(
                    "\\b(want|need|get|give\\s+me)\\s+(a\\s+|an\\s+)?(real\\s+|live\\s+)?(human|person|agent|representative)\\b"),
            Pattern.compile("\\b(connect|transfer|put)\\s+me\\s+(to|with|through)\\b"),
            Pattern.compile("\\bhablar\\s+con\\s+(una\\s+persona|un\\s+humano|un\\s+agente|alguien|un\\s+operador)"),
            Pattern.compile("\\b(persona\\s+real|agente\\s+humano)\\b"),
            Pattern.compile(
                    "\\bparler\\s+(a|avec)\\s+(un\\s+humain|une\\s+personne|un\\s+agent|quelqu'un|un\\s+conseiller)"),
            Pattern.compile("\\b(vraie\\s+personne|etre\\s+humain|conseiller\\s+humain)\\b"),
            Pattern.compile(
                    "\\b(mit\\s+)?(einem|einer|echten)\\s+(menschen|person|mitarbeiter|mitarbeiterin)\\s+(sprechen|reden)"),
            Pattern.compile("\\b(echten\\s+menschen|kundenberater|menschlichen\\s+mitarbeiter)\\b"),
            Pattern.compile("(转人工|人工客服|找人工|真人|人工服务|客服人员)"));

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
        String normalized = normalize(text);
        if (HUMAN_REQUESTS.stream()
                .anyMatch(pattern -> pattern.matcher(normalized).find())) {
            return Optional.of(EscalationReason.CUSTOMER_REQUEST);
        }
        for (String keyword : rules.keywords()) {
            if (Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(normalize(keyword)) + "(?![\\p{L}\\p{N}])")
                    .matcher(normalized)
                    .find()) {
                return Optional.of(EscalationReason.KEYWORD);
            }
        }
        return Optional.empty();
    }

    /** Lower case, accents removed, apostrophes unified: "Parler à quelqu’un" matches "parler a quelqu'un". */
    private static String normalize(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return decomposed.toLowerCase(Locale.ROOT).replace('’', '\'');
    }
}
