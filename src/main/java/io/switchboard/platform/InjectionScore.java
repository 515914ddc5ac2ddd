package io.switchboard.platform;

import java.net.URLDecoder;
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
 * payloads), in several languages. A customer message that reaches {@link #SUSPICIOUS} is flagged;
 * it is never refused, since a false alarm must not cost a customer their answer. Knowledge
 * articles are scanned with it too (see InstructionScan).
 */
public final class InjectionScore {

    public static final int SUSPICIOUS = 3;

    private record Signal(Pattern pattern, int weight) {}

    private static final List<Signal> SIGNALS = List.of(
            signal(
                    3,
                    "\\b(ignore|disregard|forget|override)\\b.{0,30}\\b(previous|prior|above|earlier|all|your)\\b.{0,20}\\b(instructions?|rules|prompts?|directions)"),
            signal(
                    2,
                    "\\b(system prompts?|initial prompt|your (instructions|rules|prompt|configuration|system message)|hidden prompt|confidential (text|instructions))"),
            signal(
                    3,
                    "\\b(your|the) (system (prompt|message)|initial (prompt|instructions)|hidden instructions|(secret|confidential) marker|canary( string)?)\\b"),
            signal(
                    3,
                    "\\byour (full|entire|complete|whole|exact) (prompt|instructions|rules|system message|configuration)\\b"),
            signal(3, "\\bwhat (rules|instructions) (were|have) you (been )?given\\b|\\bmy instructions are\\b"),
            signal(
                    2,
                    "\\b(written|said|stated|contained) in your (prompt|instructions|rules)\\b|\\bnew instructions\\b|\\bthe real task\\b"),
            signal(
                    2,
                    "\\b(previous|prior|above|earlier) (instructions|prompt|rules)\\b|\\b(start|begin) your (answer|reply|response) with\\b"),
            signal(
                    3,
                    "\\b(repeat|print|recite|reveal|translate|summari[sz]e|output|dump|copy|write|show)\\b.{0,30}\\byour (instructions|rules|prompt|configuration|system message)\\b"),
            signal(
                    2,
                    "\\b(reveal|disclose|print|repeat|show|output|dump|recite|leak)\\b.{0,40}\\b(prompt|instructions|rules|configuration|marker|canary)"),
            signal(
                    3,
                    "\\b(above|before) this (line|message)\\b|\\bthe (words|text) (above|before)\\b|\\bbefore i started typing\\b|\\bstart of (the|this) conversation\\b"),
            signal(
                    2,
                    "\\b(initiali[sz]ed|configured|programmed) with\\b|\\b(no|without) (rules|restrictions|filters)\\b"),
            signal(
                    1,
                    "\\bwhat (are|were) your (instructions|rules)\\b|\\b(base64|backwards|reversed|rot13|encoded|verbatim)\\b"),
            signal(
                    3,
                    "\\b(you are now|from now on you are|act as|pretend (to be|you are)|role-?play as)\\b.{0,60}\\b(dan|developer|admin|administrator|system|unfiltered|jailbroken|without (rules|restrictions))"),
            signal(
                    2,
                    "\\b(developer|maintenance|debug|god) mode\\b|\\bsystem override\\b|\\bjailbreak|\\bai auditor\\b"),
            signal(3, "<\\|?(system|im_start|im_end)\\|?>|</?system>|\\[/?inst\\]|###\\s*(system|instruction)"),
            signal(
                    3,
                    "(ignora|olvida)\\b.{0,30}\\binstrucciones|(ignore|oublie)\\b.{0,30}\\b(consignes|instructions)|ignoriere\\b.{0,30}\\banweisungen"),
            signal(
                    3,
                    "\\btus instrucciones\\b|\\btes consignes\\b|\\bdeine anweisungen\\b|\\ble tue istruzioni\\b|инструкци|あなたの指示"),
            signal(3, "(忽略|无视|忘记).{0,10}(指令|提示|规则)|(系统提示|系统指令|你的指令)"),
            signal(2, "(%[0-9a-f]{2}){4,}"));

    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{24,}={0,2}");
    private static final Pattern PERCENT_ENCODED = Pattern.compile("(%[0-9A-Fa-f]{2}){4,}");

    private InjectionScore() {}

    public static int of(String message) {
        int score = signals(message);
        // Encoded runs are decoded once, all together and in place, so "%49%67%6e%6f%72%65 previous
        // instructions" reads as the sentence it hides. Decoded text is never decoded again: each
        // further level would rescan the message, and nested levels multiply that into hours.
        String decoded = decodedOnce(message);
        if (!decoded.equals(message) && signals(decoded) >= SUSPICIOUS) {
            score += SUSPICIOUS;
        }
        return score;
    }

    private static int signals(String message) {
        // Letters spelled out with separators ("r-e-p-e-a-t y-o-u-r") are read as the words they spell.
        String text = Normalizer.normalize(message, Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT)
                .replaceAll("(?<=\\b\\p{L})[-.·_*](?=\\p{L}\\b)", "");
        return SIGNALS.stream()
                .filter(signal -> signal.pattern().matcher(text).find())
                .mapToInt(Signal::weight)
                .sum();
    }

    /** The message with every base64 and %-escaped run replaced by what it decodes to, where it decodes. */
    private static String decodedOnce(String message) {
        String percentDecoded = PERCENT_ENCODED
                .matcher(message)
                .replaceAll(run -> Matcher.quoteReplacement(percentDecoded(run.group())));
        return BASE64.matcher(percentDecoded).replaceAll(run -> Matcher.quoteReplacement(base64Decoded(run.group())));
    }

    /** What the run decodes to as text; the run itself when it is no base64 (an ordinary long word). */
    private static String base64Decoded(String candidate) {
        try {
            return new String(Base64.getDecoder().decode(candidate), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return candidate;
        }
    }

    private static String percentDecoded(String candidate) {
        return URLDecoder.decode(candidate, StandardCharsets.UTF_8);
    }

    private static Signal signal(int weight, String regex) {
        return new Signal(Pattern.compile(regex), weight);
    }
}
