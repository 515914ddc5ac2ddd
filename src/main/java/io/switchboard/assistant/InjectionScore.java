package io.switchboard.assistant;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much a customer message looks like a prompt injection: known patterns (overriding earlier
 * instructions, asking for the system prompt, role-play takeovers, fake system tags, encoded
 * payloads), in several languages. A message that reaches {@link #SUSPICIOUS} is flagged; it is
 * never refused, since a false alarm must not cost a customer their answer.
 */
final class InjectionScore {

    static final int SUSPICIOUS = 3;

    private record Signal(Pattern pattern, int weight) {
    }

    private static final List<Signal> SIGNALS = List.of(
            signal(3, "\\b(ignore|disregard|forget|override)\\b.{0,30}\\b(previous|prior|above|earlier|all|your)\\b.{0,20}\\b(instructions?|rules|prompts?|directions)"),
            signal(2, "\\b(system prompts?|initial prompt|your (instructions|rules|prompt|configuration|system message)|hidden prompt|confidential (text|instructions))"),
            signal(3, "\\b(your|the) (system (prompt|message)|initial (prompt|instructions)|hidden instructions|secret marker|canary( string)?)\\b"),
            signal(3, "\\b(repeat|print|recite|reveal|translate|summari[sz]e|output|dump|copy|write|show)\\b.{0,30}\\byour (instructions|rules|prompt|configuration|system message)\\b"),
            signal(2, "\\b(reveal|print|repeat|show|output|dump|recite|leak)\\b.{0,40}\\b(prompt|instructions|configuration|marker|canary)"),
            signal(3, "\\b(above|before) this (line|message)\\b|\\bthe (words|text) (above|before)\\b|\\bbefore i started typing\\b|\\bstart of (the|this) conversation\\b"),
            signal(2, "\\b(initiali[sz]ed|configured|programmed) with\\b|\\b(no|without) (rules|restrictions|filters)\\b"),
            signal(1, "\\bwhat (are|were) your (instructions|rules)\\b|\\b(base64|backwards|reversed|rot13|encoded)\\b"),
            signal(3, "\\b(you are now|from now on you are|act as|pretend (to be|you are)|role-?play as)\\b.{0,60}\\b(dan|developer|admin|administrator|system|unfiltered|jailbroken|without (rules|restrictions))"),
            signal(2, "\\b(developer|maintenance|debug|god) mode\\b|\\bsystem override\\b|\\bjailbreak|\\bai auditor\\b"),
            signal(3, "<\\|?(system|im_start|im_end)\\|?>|</?system>|\\[/?inst\\]|###\\s*(system|instruction)"),
            signal(3, "(ignora|olvida)\\b.{0,30}\\binstrucciones|(ignore|oublie)\\b.{0,30}\\b(consignes|instructions)|ignoriere\\b.{0,30}\\banweisungen"),
            signal(3, "\\btus instrucciones\\b|\\btes consignes\\b|\\bdeine anweisungen\\b|\\ble tue istruzioni\\b|инструкци|あなたの指示"),
            signal(3, "(忽略|无视|忘记).{0,10}(指令|提示|规则)|(系统提示|系统指令|你的指令)"),
            signal(2, "(%[0-9a-f]{2}){4,}"));

    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{24,}={0,2}");

    private InjectionScore() {
    }

    static int of(String message) {
        // Letters spelled out with separators ("r-e-p-e-a-t") are read as the word they spell.
        String text = Normalizer.normalize(message, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .replaceAll("(?<=\\b\\p{L})[-.\\s](?=\\p{L}\\b)", "");
        int score = SIGNALS.stream().filter(signal -> signal.pattern().matcher(text).find()).mapToInt(Signal::weight).sum();
        Matcher encoded = BASE64.matcher(message);
        while (encoded.find()) {
            String decoded = decoded(encoded.group());
            if (!decoded.equals(encoded.group()) && of(decoded) >= SUSPICIOUS) {
                score += SUSPICIOUS;
            }
        }
        return score;
    }

    private static String decoded(String candidate) {
        try {
            return new String(Base64.getDecoder().decode(candidate), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return candidate;
        }
    }

    private static Signal signal(int weight, String regex) {
        return new Signal(Pattern.compile(regex), weight);
    }
}
