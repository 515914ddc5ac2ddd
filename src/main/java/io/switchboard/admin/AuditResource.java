package io.switchboard.admin;

import io.switchboard.platform.AuditLog;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForPlatformAdmin;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** A tenant's audit log for its admins, newest first. */
@Path("/api/v1/tenants/{tenant}/audit-log")
@Produces(MediaType.APPLICATION_JSON)
@ForTenant(Role.TENANT_ADMIN)
public class AuditResource {

    private final CurrentTenant tenant;
    private final AuditLog audit;

    public AuditResource(CurrentTenant tenant, AuditLog audit) {
        this.tenant = tenant;
        this.audit = audit;
    }

    @GET
    public AuditLog.Page list(
            @QueryParam("action") String action,
            @QueryParam("before") String before,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return audit.page(tenant.get().id(), action(action), before, limit);
    }

    /**
     * Every entry of the platform, tenants' and its own, for the platform admin. No tenant in the
     * path: it reads across tenants, so it keeps its explicit platform-wide scope.
     */
    @Path("/api/v1/audit-log")
    @Produces(MediaType.APPLICATION_JSON)
    @ForPlatformAdmin
    public static class Platform {

        private final AuditLog audit;

        public Platform(AuditLog audit) {
            this.audit = audit;
        }

        @GET
        public AuditLog.Page list(
                @QueryParam("action") String action,
                @QueryParam("before") String before,
                @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
            return TenantScope.asPlatform("platform audit log", () -> audit.page(null, action(action), before, limit));
        }
    }

    private static AuditLog.Action action(String id) {
        return id == null || id.isBlank() ? null : AuditLog.Action.of(id);
    }
}
