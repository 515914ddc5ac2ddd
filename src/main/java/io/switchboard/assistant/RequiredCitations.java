package io.switchboard.assistant;

import io.switchboard.knowledge.RetrievalProviderFactory;
import io.switchboard.model.Grounding;
import io.switchboard.model.ModelReply;
import io.switchboard.model.ModelService;
import io.switchboard.tenant.TenantSection;
import io.switchboard.tenant.TenantSettings;
import java.util.List;

/**
 * Grounded answers only: a tenant that requires citations shows a language model's reply only
 * when it cites one of the knowledge passages it was given, by their [n] numbers as the prompt
 * asks. Otherwise the customer gets the built-in retrieval answer, when the knowledge base
 * answers the question well enough, or a person.
 */
public final class RequiredCitations {

    /** Where a tenant keeps the setting ({@code assistant.requireCitations}); off unless set. */
    public static final TenantSection<Boolean> SECTION = new TenantSection<>("requireCitations", Boolean.class, false);

    private RequiredCitations() {}

    public static boolean of(TenantSettings tenant) {
        return Boolean.TRUE.equals(tenant.section(SECTION));
    }

    /**
     * A language model's reply that cites none of its passages, where the tenant requires
     * citations. A provider that judged itself unsure (the built-in answerer's "not sure") is
     * handled as unsure, not as uncited.
     */
    static boolean unmet(TenantSettings tenant, ModelService.Answer answer) {
        return of(tenant)
                && answer.reply().confident()
                && answer.reply().citations().isEmpty();
    }

    /** Whether the built-in retrieval answerer would answer: its best passage clears the tenant's bar. */
    static boolean knowledgeAnswers(Grounding grounding) {
        return grounding.sufficient() && !grounding.passages().isEmpty();
    }

    /**
     * The built-in retrieval answer in place of a reply that cited nothing: the best passage under
     * its article's title, citing it. The model's usage stays, as it was spent.
     */
    static ModelService.Answer knowledgeAnswer(ModelService.Answer answer, Grounding grounding) {
        Grounding.Passage best = grounding.passages().get(0);
        ModelReply reply = answer.reply();
        return answer.withReply(new ModelReply(
                RetrievalProviderFactory.quote(best),
                reply.inputTokens(),
                reply.outputTokens(),
                reply.timeToFirstTokenMillis(),
                reply.latencyMillis(),
                List.of(best.citation()),
                true,
                false));
    }
}
