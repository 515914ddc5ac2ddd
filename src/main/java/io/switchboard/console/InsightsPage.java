package io.switchboard.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.admin.ArticleRequest;
import io.switchboard.admin.QueryDays;
import io.switchboard.insight.Insights;
import io.switchboard.knowledge.KnowledgeService;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantSettings;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tenant admin's insights for a period (default: the last 30 days): the topics customers ask
 * about with how they went, the largest drawn as a server-rendered bar chart, and the knowledge
 * gaps with their example questions and, once an agent has answered one, its suggested article
 * to edit and publish in one step. The same Insights calls as the admin API.
 */
@Path("/console/t/{tenant}/insights")
@Produces(MediaType.TEXT_HTML)
@ForTenant(Role.TENANT_ADMIN)
public class InsightsPage {

    /** Topics drawn in the chart: the rest are in the table. */
    private static final int CHARTED = 12;

    /**
     * The suggested article of one gap as the admin edited it, with what was wrong with it; every
     * other gap's form shows its suggestion as it stands.
     */
    public record Draft(UUID gap, String title, String body, Map<String, String> errors) {

        static final Draft NONE = new Draft(null, null, null, Map.of());

        public String title(Insights.Gap of) {
            return of.id().equals(gap) ? title : of.suggestedArticle().title();
        }

        public String body(Insights.Gap of) {
            return of.id().equals(gap) ? body : of.suggestedArticle().body();
        }

        /** The problem with a field of this gap's form, null when there is none. */
        public String error(Insights.Gap of, String field) {
            return of.id().equals(gap) ? errors.get(field) : null;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance insights(
                TenantSettings tenant,
                String username,
                String from,
                String to,
                Insights.Topics topics,
                Insights.Gaps gaps,
                BarChart chart,
                Draft draft,
                KnowledgeService.ArticleView published,
                String problem);
    }

    private final CurrentTenant current;
    private final Insights insights;
    private final KnowledgeService knowledge;
    private final Validator validator;
    private final SecurityIdentity identity;

    public InsightsPage(
            CurrentTenant current,
            Insights insights,
            KnowledgeService knowledge,
            Validator validator,
            SecurityIdentity identity) {
        this.current = current;
        this.insights = insights;
        this.knowledge = knowledge;
        this.validator = validator;
        this.identity = identity;
    }

    @GET
    public Response insights(
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("published") UUID published) {
        return page(from, to, Draft.NONE, publishedArticle(published), 200);
    }

    /** Publishes the admin's edit of a gap's suggested article, then shows the page again with a link to it. */
    @POST
    @Path("gaps/{id}/article")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response publish(@PathParam("id") UUID gap, MultivaluedMap<String, String> fields) {
        String from = FormFields.text(fields, "from");
        String to = FormFields.text(fields, "to");
        ArticleRequest edited = new ArticleRequest(
                FormFields.text(fields, "title"), FormFields.text(fields, "body"), null, List.of(), null);
        Map<String, String> errors =
                new LinkedHashMap<>(FormErrors.of(validator.validate(edited), KnowledgePage::inputOf));
        if (errors.isEmpty()) {
            try {
                KnowledgeService.ArticleView article = insights.publish(gap, edited.toDefinition());
                return Response.seeOther(UriBuilder.fromPath("/console/t/{tenant}/insights")
                                .queryParam("from", from)
                                .queryParam("to", to)
                                .queryParam("published", article.id())
                                .build(current.get().slug()))
                        .build();
            } catch (ProblemException refused) {
                if (refused.problem().status() == 404) {
                    throw refused;
                }
                FormErrors.add(errors, refused, "form");
            }
        }
        return page(from, to, new Draft(gap, edited.title(), edited.body(), errors), null, 422);
    }

    private Response page(String from, String to, Draft draft, KnowledgeService.ArticleView published, int status) {
        TenantSettings tenant = current.get();
        String username = identity.getPrincipal().getName();
        QueryDays.Period period;
        try {
            period = QueryDays.recent(from, to, Insights.DEFAULT_DAYS);
        } catch (ProblemException refused) {
            return Response.status(422)
                    .entity(Templates.insights(
                            tenant,
                            username,
                            from,
                            to,
                            null,
                            null,
                            null,
                            null,
                            null,
                            refused.problem().detail()))
                    .build();
        }
        Insights.Topics topics = insights.topics(period.start(), period.end());
        BarChart chart = BarChart.of(
                "Largest topics: conversations (escalated in the darker part)",
                topics.topics().stream().limit(CHARTED).toList(),
                Insights.Topic::conversations,
                topic -> Math.round(topic.escalatedRate() * topic.conversations()),
                Insights.Topic::label,
                value -> String.valueOf((long) value),
                0);
        return Response.status(status)
                .entity(Templates.insights(
                        tenant,
                        username,
                        period.first().toString(),
                        period.last().toString(),
                        topics,
                        insights.gaps(period.start(), period.end()),
                        chart,
                        draft,
                        published,
                        null))
                .build();
    }

    /** The article just published, for the notice; nothing when it has gone since. */
    private KnowledgeService.ArticleView publishedArticle(UUID id) {
        if (id == null) {
            return null;
        }
        try {
            return knowledge.get(id);
        } catch (ProblemException gone) {
            return null;
        }
    }
}
