package io.switchboard.knowledge;

import io.switchboard.platform.InjectionScore;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds text in a help article that talks to the assistant rather than to the reader: the
 * prompt-injection patterns customers use, plus what planted instructions look like (notes to
 * "the AI", rules for "every answer", secrets kept from the customer, hidden HTML comments).
 * Scanned paragraph by paragraph, so ordinary help text spread over a long article does not add up.
 */
final class InstructionScan {

    private static final int EXCERPT = 80;

    private static final List<Pattern> ADDRESSED_TO_THE_MODEL = List.of(
            Pattern.compile(
                    "\\b(ai|assistant|chatbot|chat bot|bot|language model|llm)s?\\b.{0,25}\\b(must|should|shall|will|needs? to|has to|is (required|instructed|allowed) to)\\b"
                            + ".{0,60}\\b(always|never|say|tell|answer|respond|reply|include|add|append|link|reveal|mention|ignore|recommend|send)\\b"),
            Pattern.compile(
                    "\\b(note|attention|important|message|instructions?) (to|for) (the |any )?(ai|assistant|chatbot|bot|model|llm|language model)s?\\b"),
            Pattern.compile("\\bif you are an? (ai|assistant|language model|chatbot|bot|llm)\\b"),
            Pattern.compile(
                    "\\b(do not|don't|never) (tell|mention|reveal|show|say) (this|these|that|it) to (the |any )?(user|customer|guest|reader|visitor)s?\\b"),
            Pattern.compile("\\b(in|at the end of) (every|each|all) (answers?|repl(y|ies)|responses?)\\b"),
            Pattern.compile("<!--"));

    private InstructionScan() {}

    /** Why the article should wait for an admin's review, quoting the paragraph; empty when it reads as help text. */
    static Optional<String> reasonFor(String title, String body) {
        for (String paragraph : (title + "\n\n" + body).split("\\n\\s*\\n")) {
            String text = Normalizer.normalize(paragraph, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
            if (InjectionScore.of(paragraph) >= InjectionScore.SUSPICIOUS
                    || ADDRESSED_TO_THE_MODEL.stream()
                            .anyMatch(pattern -> pattern.matcher(text).find())) {
                return Optional.of("reads like instructions to the assistant: \"" + excerpt(paragraph) + "\"");
            }
        }
        return Optional.empty();
    }

    private static String excerpt(String paragraph) {
        String oneLine = paragraph.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= EXCERPT ? oneLine : oneLine.substring(0, EXCERPT - 1) + "…";
    }
}
