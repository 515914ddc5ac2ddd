package io.switchboard.admin;

import io.switchboard.events.WebhookService;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/** A tenant's webhooks and what happened to each delivery; the signing secret is in the creation response only. */
@Path("/api/v1/tenants/{tenant}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@ForTenant(Role.TENANT_ADMIN)
public class WebhookResource {

    public record CreateWebhook(
            @NotBlank @Size(max = 2000) String url,
            @Size(max = 20) List<@NotBlank String> eventTypes,
            @Size(max = 200) String description) {}

    private final CurrentTenant tenant;
    private final WebhookService webhooks;

    public WebhookResource(CurrentTenant tenant, WebhookService webhooks) {
        this.tenant = tenant;
        this.webhooks = webhooks;
    }

    @GET
    public List<WebhookService.WebhookView> list() {
        return webhooks.list();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull(message = "a JSON body with 'url' is required") CreateWebhook request) {
        WebhookService.Created created =
                webhooks.create(request.url().strip(), request.eventTypes(), request.description());
        return Response.created(URI.create("/api/v1/tenants/" + tenant.get().slug() + "/webhooks/" + created.id()))
                .entity(created)
                .build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") UUID id) {
        webhooks.delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/deliveries")
    public List<WebhookService.DeliveryView> deliveries(
            @PathParam("id") UUID id,
            @QueryParam("status")
                    @Pattern(regexp = "pending|delivered|dead", message = "must be pending, delivered or dead")
                    String status,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return webhooks.deliveries(id, status, limit);
    }
}
