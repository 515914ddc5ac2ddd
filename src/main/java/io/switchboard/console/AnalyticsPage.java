package io.switchboard.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.admin.QueryDays;
import io.switchboard.conversation.Analytics;
import io.switchboard.conversation.ConversationAnalytics;
import io.switchboard.insight.InsightAnalytics;
import io.switchboard.insight.Satisfaction;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantSettings;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;

/**
 * The tenant admin's analytics for a date range: the same report as {@code GET /analytics}, with
 * conversations and cost per day drawn as server-rendered SVG bar charts and every figure also
 * in a table.
 */
@Path("/console/t/{tenant}/analytics")
@Produces(MediaType.TEXT_HTML)
@ForTenant(Role.TENANT_ADMIN)
public class AnalyticsPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance analytics(
                TenantSettings tenant,
                String username,
                String from,
                String to,
                Analytics report,
                Satisfaction satisfaction,
                BarChart conversations,
                BarChart cost,
                BarChart csat,
                String problem);
    }

    private final CurrentTenant current;
    private final ConversationAnalytics analytics;
    private final InsightAnalytics insights;
    private final SecurityIdentity identity;

    public AnalyticsPage(
            CurrentTenant current,
            ConversationAnalytics analytics,
            InsightAnalytics insights,
            SecurityIdentity identity) {
        this.current = current;
        this.analytics = analytics;
        this.insights = insights;
        this.identity = identity;
    }

    @GET
    public Response analytics(@QueryParam("from") String from, @QueryParam("to") String to) {
        TenantSettings tenant = current.get();
        String username = identity.getPrincipal().getName();
        QueryDays.Period period;
        try {
            period = QueryDays.period(from, to);
        } catch (ProblemException refused) {
            return Response.status(422)
                    .entity(Templates.analytics(
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
        Analytics report = analytics.report(period.first(), period.last());
        BarChart conversations = BarChart.of(
                "Conversations per day (escalated in the darker part)",
                report.days(),
                Analytics.Day::conversations,
                Analytics.Day::escalated,
                day -> day.day().toString(),
                value -> String.valueOf((long) value),
                0);
        BarChart cost = BarChart.of(
                "Model cost per day (US dollars)",
                report.days(),
                day -> day.costUsd().doubleValue(),
                day -> 0,
                day -> day.day().toString(),
                value -> String.format(Locale.ROOT, "$%.4f", value),
                0);
        Satisfaction satisfaction = insights.report(period.first(), period.last());
        BarChart csat = BarChart.of(
                "Customer satisfaction per day (average rating out of 5)",
                satisfaction.csat().days(),
                day -> day.average() == null ? 0 : day.average(),
                day -> 0,
                day -> day.day().toString() + " (" + day.responses() + " ratings)",
                value -> String.format(Locale.ROOT, "%.1f", value),
                5);
        return Response.ok(Templates.analytics(
                        tenant,
                        username,
                        period.first().toString(),
                        period.last().toString(),
                        report,
                        satisfaction,
                        conversations,
                        cost,
                        csat,
                        null))
                .build();
    }
}
