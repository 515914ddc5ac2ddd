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

    public static final String CUSTOMER_REQUEST = "customer_request";
    public static final String KEYWORD = "keyword";

    /** Asking for a person, in English, Spanish, French, German and Chinese; matched without accents or case. */
    private static final List<Pattern> HUMAN_REQUESTS = List.of(
            Pattern.compile("\\b(talk|speak|chat)\\s+(to|with)\\s+(a\\s+|an\\s+|the\\s+|some\\s+)?(real\\s+|live\\s+)?(human|person|people|agent|someone|somebody|representative|operator)\\b"),
            Pattern.compile("\\b(human|live)\\s+(agent|support|person)\\b"),
            Pattern.compile("\\b(want|need|get|give\\s+me)\\s+(a\\s+|an\\s+)?(real\\s+|live\\s+)?(human|person|agent|representative)\\b"),
            Pattern.compile("\\b(connect|transfer|put)\\s+me\\s+(to|with|through)\\b"),
            Pattern.compile("\\bhablar\\s+con\\s+(una\\s+persona|un\\s+humano|un\\s+agente|alguien|un\\s+operador)"),
            Pattern.compile("\\b(persona\\s+real|agente\\s+humano)\\b"),
            Pattern.compile("\\bparler\\s+(a|avec)\\s+(un\\s+humain|une\\s+personne|un\\s+agent|quelqu'un|un\\s+conseiller)"),
            Pattern.compile("\\b(vraie\\s+personne|etre\\s+humain|conseiller\\s+humain)\\b"),
            Pattern.compile("\\b(mit\\s+)?(einem|einer|echten)\\s+(menschen|person|mitarbeiter|mitarbeiterin)\\s+(sprechen|reden)"),
            Pattern.compile("\\b(echten\\s+menschen|kundenberater|menschlichen\\s+mitarbeiter)\\b"),
            Pattern.compile("(转人工|人工客服|找人工|真人|人工服务|客服人员)"));

    private HandoffTriggers() {
    }

    /** Why this message must go to a person, if it must. */
    public static Optional<String> reasonFor(String text, EscalationRules rules) {
        String normalized = normalize(text);
        if (HUMAN_REQUESTS.stream().anyMatch(pattern -> pattern.matcher(normalized).find())) {
            return Optional.of(CUSTOMER_REQUEST);
        }
        for (String keyword : rules.keywords()) {
            if (Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(normalize(keyword)) + "(?![\\p{L}\\p{N}])").matcher(normalized).find()) {
                return Optional.of(KEYWORD);
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
