package io.switchboard.knowledge;

import io.switchboard.model.ModelEndpoint;
import io.switchboard.model.ModelFailure;
import io.switchboard.model.ModelProvider;
import io.switchboard.model.ModelProviderFactory;
import io.switchboard.model.ModelReply;
import io.switchboard.model.ModelRequest;
import io.switchboard.tenant.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The no-LLM answerer: replies with the help-centre passage that best matches the question and
 * cites its article; says so when nothing matches well enough.
 */
@ApplicationScoped
public class RetrievalProviderFactory implements ModelProviderFactory {

    public static final String ID = "retrieval";
    private static final int MAX_PASSAGE_CHARS = 900;
    /** Share of the question's terms a passage must contain to be offered as the answer. */
    private static final double MIN_TERM_COVERAGE = 0.5;
    private static final Pattern WORDS = Pattern.compile("\\S+\\s*");

    private final KnowledgeService knowledge;

    public RetrievalProviderFactory(KnowledgeService knowledge) {
        this.knowledge = knowledge;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void validate(ModelEndpoint endpoint) {
        // Nothing to configure: it answers from the tenant's own knowledge base.
    }

    @Override
    public ModelProvider create(ModelEndpoint endpoint) {
        return this::answer;
    }

    private ModelReply answer(ModelRequest request, ModelProvider.TokenSink sink) throws ModelFailure {
        long started = System.nanoTime();
        List<KnowledgeService.ArticleText> articles = TenantScope.call(request.tenantId(), knowledge::all);
        List<PassageRanker.Scored> ranked = PassageRanker.rank(request.lastUserText(), PassageRanker.passages(articles));
        boolean confident = !ranked.isEmpty()
                && ranked.get(0).matchedTerms() >= Math.ceil(ranked.get(0).queryTerms() * MIN_TERM_COVERAGE);
        String text;
        List<ModelReply.Citation> citations;
        if (confident) {
            PassageRanker.Passage best = ranked.get(0).passage();
            text = "From our help centre, **" + best.article().title() + "**"
                    + (best.heading().isEmpty() ? "" : " (" + best.heading() + ")") + ":\n\n" + shorten(best.text());
            citations = List.of(new ModelReply.Citation(best.article().id().toString(), best.article().title(), best.article().url()));
        } else {
            text = "I couldn't find an answer to that in our help centre. Could you rephrase it, or ask to talk to a person?";
            citations = List.of();
        }
        long firstToken = System.nanoTime();
        Matcher words = WORDS.matcher(text);
        while (words.find()) {
            sink.accept(words.group());
        }
        long done = System.nanoTime();
        return new ModelReply(text, null, null, (firstToken - started) / 1_000_000, (done - started) / 1_000_000, citations, confident);
    }

    private static String shorten(String passage) {
        if (passage.length() <= MAX_PASSAGE_CHARS) {
            return passage;
        }
        int cut = passage.lastIndexOf("\n", MAX_PASSAGE_CHARS);
        if (cut < MAX_PASSAGE_CHARS / 2) {
            cut = passage.lastIndexOf(". ", MAX_PASSAGE_CHARS) + 1;
        }
        return passage.substring(0, cut > 0 ? cut : MAX_PASSAGE_CHARS).strip() + " …";
    }
}
