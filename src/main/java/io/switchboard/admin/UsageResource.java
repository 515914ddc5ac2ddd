package io.switchboard.admin;

import io.switchboard.conversation.ConversationService;
import io.switchboard.conversation.UsageReport;
import io.switchboard.model.UsageMeter;
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

/** Tokens, cost and outcomes of a tenant's assistant over a period (default: this month so far). */
@Path("/api/v1/tenants/{tenant}/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    private final TenantAccess access;
    private final ConversationService conversations;
    private final UsageMeter meter;

    public UsageResource(TenantAccess access, ConversationService conversations, UsageMeter meter) {
        this.access = access;
        this.conversations = conversations;
        this.meter = meter;
    }

    @GET
    public UsageReport usage(@PathParam("tenant") String slug, @QueryParam("from") String from, @QueryParam("to") String to) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        QueryDays.Period period = QueryDays.period(from, to);
        return TenantScope.call(tenant.id(), () -> conversations.usage(period.first(), period.last()))
                .withApi(meter.apiUsage(tenant.id(), period.first(), period.last()));
    }
}
