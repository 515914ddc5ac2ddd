package io.switchboard.widget;

import io.switchboard.tenant.TenantSettings;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** What the widget needs before the first message: the tenant's name, greeting and look, from its configuration. */
@Path("/api/v1/widget/{tenant}/setup")
@Produces(MediaType.APPLICATION_JSON)
public class WidgetSetupResource {

    public record WidgetSetup(String name, String greeting, String title, String colour, String position, String language) {
    }

    private final WidgetAccess access;

    public WidgetSetupResource(WidgetAccess access) {
        this.access = access;
    }

    @GET
    public WidgetSetup setup(@PathParam("tenant") String slug, @HeaderParam("Origin") String origin,
            @HeaderParam(HttpHeaders.HOST) String host) {
        TenantSettings tenant = access.tenant(slug, origin, host);
        return new WidgetSetup(tenant.name(), tenant.greeting(), tenant.widgetLook().title(), tenant.widgetLook().colour(),
                tenant.widgetLook().position(), tenant.widgetLook().language());
    }
}
