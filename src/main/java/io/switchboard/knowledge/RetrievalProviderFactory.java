package io.switchboard.knowledge;

import io.switchboard.model.Grounding;
import io.switchboard.model.ModelEndpoint;
import io.switchboard.model.ModelProvider;
import io.switchboard.model.ModelProviderFactory;
import io.switchboard.model.ModelReply;
import io.switchboard.model.ModelRequest;
import io.switchboard.platform.CustomerTexts;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The no-LLM answerer: replies with the passage of the tenant's help centre that best matches
 * the question, trimmed to a readable answer, and cites its article; its framing ("From …") is in
 * the article's language, like the passage it quotes. When the best passage is not close enough it
 * says it is not sure, in the customer's language, and the turn is handed to a person.
 */
@ApplicationScoped
public class RetrievalProviderFactory implements ModelProviderFactory {

    public static final String ID = "retrieval";
    private static final int MAX_ANSWER_CHARS = 900;
    private static final Pattern WORDS = Pattern.compile("\\S+\\s*");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void validate(ModelEndpoint endpoint) {
        // Nothing to configure: it answers from the grounding the assistant retrieved.
    }

    @Override
    public ModelProvider create(ModelEndpoint endpoint) {
        return (ModelProvider.Immediate) RetrievalProviderFactory::answer;
    }

    private static ModelReply answer(ModelRequest request, ModelProvider.TokenSink sink) {
        long started = System.nanoTime();
        Grounding grounding = request.grounding();
        boolean confident = grounding.sufficient() && !grounding.passages().isEmpty();
        String text;
        List<ModelReply.Citation> citations = List.of();
        if (confident) {
            Grounding.Passage best = grounding.passages().get(0);
            text = quote(best);
            citations = List.of(best.citation());
        } else {
            text = notSure(grounding);
        }
        long firstToken = System.nanoTime();
        Matcher words = WORDS.matcher(text);
        while (words.find()) {
            sink.accept(words.group());
        }
        long done = System.nanoTime();
        return new ModelReply(
                text,
                null,
                null,
                (firstToken - started) / 1_000_000,
                (done - started) / 1_000_000,
                citations,
                confident,
                false);
    }

    /** The built-in answer from a passage: the passage, trimmed, under the title of its article. */
    public static String quote(Grounding.Passage passage) {
        String article =
                "**" + passage.title() + "**" + (passage.heading().isEmpty() ? "" : " (" + passage.heading() + ")");
        return CustomerTexts.text("quoted_from", passage.language(), "article", article) + "\n\n"
                + trim(passage.text());
    }

    /**
     * What the built-in answerer says when the knowledge base does not answer the question well
     * enough: in the customer's language, or when that is not known, in the language of the
     * articles that came closest (the help centre's).
     */
    static String notSure(Grounding grounding) {
        String language = grounding.language() != null || grounding.passages().isEmpty()
                ? grounding.language()
                : grounding.passages().get(0).language();
        return CustomerTexts.text("not_sure", language);
    }

    /** Whole paragraphs (or sentences) up to a readable length; a passage is rarely cut at all. */
    static String trim(String passage) {
        if (passage.length() <= MAX_ANSWER_CHARS) {
            return passage;
        }
        int cut = passage.lastIndexOf("\n", MAX_ANSWER_CHARS);
        if (cut < MAX_ANSWER_CHARS / 2) {
            cut = passage.lastIndexOf(". ", MAX_ANSWER_CHARS) + 1;
        }
        return passage.substring(0, cut > 0 ? cut : MAX_ANSWER_CHARS).strip() + " …";
    }
}
