package io.switchboard.widget;

import io.switchboard.tenant.TenantSettings;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What the widget needs before the first message: the tenant's name, greeting and look, from its configuration. */
@Path("/api/v1/widget/{tenant}/setup")
@Produces(MediaType.APPLICATION_JSON)
@ForWidget
public class WidgetSetupResource {

    public record WidgetSetup(
            String name, String greeting, String title, String colour, String position, String language) {}

    private final CurrentWidget current;

    public WidgetSetupResource(CurrentWidget current) {
        this.current = current;
    }

    @GET
    public WidgetSetup setup() {
        TenantSettings tenant = current.tenant();
        return new WidgetSetup(
                tenant.name(),
                tenant.greeting(),
                tenant.widgetLook().title(),
                tenant.widgetLook().colour(),
                tenant.widgetLook().position(),
                tenant.widgetLook().language());
    }
}
