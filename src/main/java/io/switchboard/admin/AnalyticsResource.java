package io.switchboard.admin;

import io.switchboard.conversation.Analytics;
import io.switchboard.conversation.ConversationAnalytics;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * How the assistant did over a period (default: this month so far): resolution and escalation
 * rates and reasons, first-response and hand-off waits, tokens and cost per day and per model.
 */
@Path("/api/v1/tenants/{tenant}/analytics")
@Produces(MediaType.APPLICATION_JSON)
@ForTenant(Role.TENANT_ADMIN)
public class AnalyticsResource {

    private final ConversationAnalytics analytics;

    public AnalyticsResource(ConversationAnalytics analytics) {
        this.analytics = analytics;
    }

    @GET
    public Analytics report(@QueryParam("from") String from, @QueryParam("to") String to) {
        QueryDays.Period period = QueryDays.period(from, to);
        return analytics.report(period.first(), period.last());
    }
}
