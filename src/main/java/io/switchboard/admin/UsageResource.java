package io.switchboard.admin;

import io.switchboard.conversation.Transcripts;
import io.switchboard.conversation.UsageReport;
import io.switchboard.model.UsageMeter;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Tokens, cost and outcomes of a tenant's assistant over a period (default: this month so far). */
@Path("/api/v1/tenants/{tenant}/usage")
@Produces(MediaType.APPLICATION_JSON)
@ForTenant(Role.TENANT_ADMIN)
public class UsageResource {

    private final CurrentTenant tenant;
    private final Transcripts transcripts;
    private final UsageMeter meter;

    public UsageResource(CurrentTenant tenant, Transcripts transcripts, UsageMeter meter) {
        this.tenant = tenant;
        this.transcripts = transcripts;
        this.meter = meter;
    }

    @GET
    public UsageReport usage(@QueryParam("from") String from, @QueryParam("to") String to) {
        QueryDays.Period period = QueryDays.period(from, to);
        return transcripts
                .usage(period.first(), period.last())
                .withApi(meter.apiUsage(tenant.get().id(), period.first(), period.last()));
    }
}
