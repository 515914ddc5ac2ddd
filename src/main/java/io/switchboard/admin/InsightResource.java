package io.switchboard.admin;

import io.switchboard.insight.Insights;
import io.switchboard.knowledge.KnowledgeService;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * Topics and knowledge gaps of a period (default: the last 30 days), from the conversations
 * analysed in the background, and publishing a gap's article.
 */
@Path("/api/v1/tenants/{tenant}/insights")
@Produces(MediaType.APPLICATION_JSON)
@ForTenant(Role.TENANT_ADMIN)
public class InsightResource {

    private final Insights insights;

    public InsightResource(Insights insights) {
        this.insights = insights;
    }

    @GET
    @Path("topics")
    public Insights.Topics topics(@QueryParam("from") String from, @QueryParam("to") String to) {
        QueryDays.Period period = QueryDays.recent(from, to, Insights.DEFAULT_DAYS);
        return insights.topics(period.start(), period.end());
    }

    @GET
    @Path("gaps")
    public Insights.Gaps gaps(@QueryParam("from") String from, @QueryParam("to") String to) {
        QueryDays.Period period = QueryDays.recent(from, to, Insights.DEFAULT_DAYS);
        return insights.gaps(period.start(), period.end());
    }

    /** Publishes the gap's article: the body is the admin's edit of the suggestion; without one, the suggestion as it stands. */
    @POST
    @Path("gaps/{id}/article")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response publish(@PathParam("id") UUID id, @Valid ArticleRequest edited) {
        KnowledgeService.ArticleView article = insights.publish(id, edited == null ? null : edited.toDefinition());
        return Response.status(Response.Status.CREATED).entity(article).build();
    }
}
