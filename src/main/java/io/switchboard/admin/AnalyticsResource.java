package io.switchboard.admin;

import io.switchboard.conversation.Analytics;
import io.switchboard.conversation.ConversationAnalytics;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantAccess;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantSettings;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * How the assistant did over a period (default: this month so far): resolution and escalation
 * rates and reasons, first-response and hand-off waits, tokens and cost per day and per model.
 */
@Path("/api/v1/tenants/{tenant}/analytics")
@Produces(MediaType.APPLICATION_JSON)
public class AnalyticsResource {

    private final TenantAccess access;
    private final ConversationAnalytics analytics;

    public AnalyticsResource(TenantAccess access, ConversationAnalytics analytics) {
        this.access = access;
        this.analytics = analytics;
    }

    @GET
    public Analytics report(@PathParam("tenant") String slug, @QueryParam("from") String from, @QueryParam("to") String to) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        QueryDays.Period period = QueryDays.period(from, to);
        return TenantScope.call(tenant.id(), () -> analytics.report(period.first(), period.last()));
    }
}
