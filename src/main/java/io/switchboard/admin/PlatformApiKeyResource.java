package io.switchboard.admin;

import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.ApiKeyService;
import io.switchboard.tenant.ForPlatformAdmin;
import io.switchboard.tenant.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

/** The platform's own API keys (platform-admin): listed, created (the secret shown once) and revoked, the bootstrap key too. */
@Path("/api/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@ForPlatformAdmin
public class PlatformApiKeyResource {

    public record CreatePlatformKey(
            @NotBlank @Size(max = 100) String name) {}

    private final ApiKeyService keys;

    public PlatformApiKeyResource(ApiKeyService keys) {
        this.keys = keys;
    }

    @GET
    public List<ApiKeyService.ApiKeyView> list() {
        return TenantScope.asPlatform("platform API keys", keys::listPlatformKeys);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull(message = "a JSON body with 'name' is required") CreatePlatformKey request) {
        ApiKeyService.Created created = TenantScope.asPlatform(
                "platform API keys", () -> keys.create(null, request.name().strip(), EnumSet.of(Role.PLATFORM_ADMIN)));
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") UUID id) {
        TenantScope.asPlatform("platform API keys", () -> keys.revokePlatformKey(id));
        return Response.noContent().build();
    }
}
