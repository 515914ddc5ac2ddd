package io.switchboard.admin;

import io.switchboard.platform.AuditLog;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantAccess;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantSettings;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** A tenant's audit log for its admins, newest first. */
@Path("/api/v1/tenants/{tenant}/audit-log")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final TenantAccess access;
    private final AuditLog audit;

    public AuditResource(TenantAccess access, AuditLog audit) {
        this.access = access;
        this.audit = audit;
    }

    @GET
    public AuditLog.Page list(@PathParam("tenant") String slug, @QueryParam("action") String action, @QueryParam("before") String before,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        return TenantScope.call(tenant.id(), () -> audit.page(tenant.id(), action(action), before, limit));
    }

    /** Every entry of the platform, tenants' and its own, for the platform admin. */
    @Path("/api/v1/audit-log")
    @Produces(MediaType.APPLICATION_JSON)
    public static class Platform {

        private final TenantAccess access;
        private final AuditLog audit;

        public Platform(TenantAccess access, AuditLog audit) {
            this.access = access;
            this.audit = audit;
        }

        @GET
        public AuditLog.Page list(@QueryParam("action") String action, @QueryParam("before") String before,
                @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
            access.requirePlatformAdmin();
            return TenantScope.asPlatform("platform audit log", () -> audit.page(null, action(action), before, limit));
        }
    }

    private static AuditLog.Action action(String id) {
        return id == null || id.isBlank() ? null : AuditLog.Action.of(id);
    }
}
