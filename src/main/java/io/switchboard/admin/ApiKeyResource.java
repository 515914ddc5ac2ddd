package io.switchboard.admin;

import io.switchboard.tenant.ApiKeyService;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
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

/** A tenant's API keys: the secret is in the creation response only. */
@Path("/api/v1/tenants/{tenant}/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@ForTenant(Role.TENANT_ADMIN)
public class ApiKeyResource {

    public record CreateApiKey(
            @NotBlank @Size(max = 100) String name,

            @NotEmpty(message = "must name at least one role: tenant-admin or agent")
            List<@NotNull Role> roles) {

        @AssertTrue(message = "a tenant key may have the roles tenant-admin and agent only")
        boolean isRolesForATenant() {
            return roles == null || !roles.contains(Role.PLATFORM_ADMIN);
        }
    }

    private final CurrentTenant tenant;
    private final ApiKeyService keys;

    public ApiKeyResource(CurrentTenant tenant, ApiKeyService keys) {
        this.tenant = tenant;
        this.keys = keys;
    }

    @GET
    public List<ApiKeyService.ApiKeyView> list() {
        return keys.list(tenant.get().id());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(
            @Valid @NotNull(message = "a JSON body with 'name' and 'roles' is required") CreateApiKey request) {
        ApiKeyService.Created created =
                keys.create(tenant.get().id(), request.name().strip(), EnumSet.copyOf(request.roles()));
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") UUID id) {
        keys.revoke(tenant.get().id(), id);
        return Response.noContent().build();
    }
}
