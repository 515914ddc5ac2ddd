package io.switchboard.admin;

import io.switchboard.channel.ChannelRequest;
import io.switchboard.channel.ChannelService;
import io.switchboard.channel.ChannelView;
import io.switchboard.events.WebhookService;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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

/**
 * A tenant's channels: its implicit widget and the channels it adds. An API channel's token and
 * signing secret are in the creation response only; {@code {"rotateToken": true}} in a PATCH
 * answers a new token, revoking the old one.
 */
@Path("/api/v1/tenants/{tenant}/channels")
@Produces(MediaType.APPLICATION_JSON)
@ForTenant(Role.TENANT_ADMIN)
public class ChannelResource {

    private final CurrentTenant tenant;
    private final ChannelService channels;

    public ChannelResource(CurrentTenant tenant, ChannelService channels) {
        this.tenant = tenant;
        this.channels = channels;
    }

    @GET
    public List<ChannelView> list() {
        return channels.list();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(
            @Valid @NotNull(message = "a JSON body with 'type' and 'name' is required") ChannelRequest request) {
        ChannelView created = channels.create(request);
        return Response.created(URI.create("/api/v1/tenants/" + tenant.get().slug() + "/channels/" + created.id()))
                .entity(created)
                .build();
    }

    @GET
    @Path("{id}")
    public ChannelView get(@PathParam("id") UUID id) {
        return channels.get(id);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ChannelView update(
            @PathParam("id") UUID id, @Valid @NotNull(message = "a JSON body is required") ChannelRequest request) {
        return channels.update(id, request);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") UUID id) {
        channels.delete(id);
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
        return channels.deliveries(id, status, limit);
    }
}
