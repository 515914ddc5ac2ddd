package io.switchboard.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import io.switchboard.tenant.Caller;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.SessionBinding;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The console's entry: the login page (form login posts to Quarkus' {@code /j_security_check}),
 * the landing page of a logged-in admin or agent, and logging out. Everything under
 * {@code /console} except the login page needs a session (see application.properties).
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsolePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(boolean failed);

        static native TemplateInstance home(
                String username, List<String> roles, Optional<TenantSettings> tenant, List<TenantSettings> allTenants);
    }

    private final SecurityIdentity identity;
    private final TenantService tenants;

    public ConsolePage(SecurityIdentity identity, TenantService tenants) {
        this.identity = identity;
        this.tenants = tenants;
    }

    @GET
    @Path("login")
    public TemplateInstance login(@QueryParam("error") boolean failed) {
        return Templates.login(failed);
    }

    @GET
    public TemplateInstance home() {
        UUID tenantId = identity.getAttribute(Caller.TENANT_ATTRIBUTE);
        // The platform admin works in any tenant: the console lists them all.
        List<TenantSettings> allTenants = identity.hasRole(Role.PLATFORM_ADMIN.id()) ? tenants.list() : List.of();
        return Templates.home(
                identity.getPrincipal().getName(),
                identity.getRoles().stream().sorted().toList(),
                Optional.ofNullable(tenantId).flatMap(tenants::findById),
                allTenants);
    }

    @POST
    @Path("logout")
    public Response logout(RoutingContext context) {
        FormAuthenticationMechanism.logout(context);
        context.response()
                .addCookie(io.vertx.core.http.Cookie.cookie(SessionBinding.COOKIE, "")
                        .setPath("/")
                        .setMaxAge(0));
        return Response.seeOther(URI.create("/console/login")).build();
    }
}
