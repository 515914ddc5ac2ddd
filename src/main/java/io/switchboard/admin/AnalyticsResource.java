package io.switchboard.admin;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.switchboard.conversation.Analytics;
import io.switchboard.conversation.ConversationAnalytics;
import io.switchboard.insight.InsightAnalytics;
import io.switchboard.insight.Satisfaction;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * How the assistant did over a period (default: this month so far): resolution and escalation
 * rates and reasons, first-response and hand-off waits, tokens and cost per day and per model,
 * customer satisfaction ({@code csat}) and the share of conversations per quality grade.
 */
@Path("/api/v1/tenants/{tenant}/analytics")
@Produces(MediaType.APPLICATION_JSON)
@ForTenant(Role.TENANT_ADMIN)
public class AnalyticsResource {

    /** The conversations' figures with the customers' satisfaction and the quality grades beside them. */
    public record Report(
            @JsonUnwrapped Analytics analytics, Satisfaction.Csat csat, List<Satisfaction.GradeShare> grades) {}

    private final ConversationAnalytics analytics;
    private final InsightAnalytics insights;

    public AnalyticsResource(ConversationAnalytics analytics, InsightAnalytics insights) {
        this.analytics = analytics;
        this.insights = insights;
    }

    @GET
    public Report report(@QueryParam("from") String from, @QueryParam("to") String to) {
        QueryDays.Period period = QueryDays.period(from, to);
        Satisfaction satisfaction = insights.report(period.first(), period.last());
        return new Report(analytics.report(period.first(), period.last()), satisfaction.csat(), satisfaction.grades());
    }
}
