package io.switchboard.admin;

import io.switchboard.conversation.ConversationService;
import io.switchboard.conversation.UsageReport;
import io.switchboard.model.UsageMeter;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantAccess;
import io.switchboard.tenant.TenantScope;
import io.switchboard.tenant.TenantSettings;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Tokens, cost and outcomes of a tenant's assistant over a period (default: this month so far). */
@Path("/api/v1/tenants/{tenant}/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    private static final long MAX_DAYS = 366;

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
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate first = date("from", from, today.withDayOfMonth(1));
        LocalDate last = date("to", to, today);
        if (last.isBefore(first) || ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "'to' must be on or after 'from', at most 366 days later");
        }
        return TenantScope.call(tenant.id(), () -> conversations.usage(first, last)).withApi(meter.apiUsage(tenant.id(), first, last));
    }

    private static LocalDate date(String name, String value, LocalDate fallback) {
        LocalDate day = QueryDays.day(name, value);
        return day == null ? fallback : day;
    }
}
