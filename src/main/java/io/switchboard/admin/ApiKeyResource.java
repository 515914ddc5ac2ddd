package io.switchboard.admin;

import io.switchboard.tenant.ApiKeyService;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantAccess;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantSettings;
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
public class ApiKeyResource {

    public record CreateApiKey(
            @NotBlank @Size(max = 100) String name,
            @NotEmpty(message = "must name at least one role: tenant-admin or agent") List<@NotNull Role> roles) {

        @AssertTrue(message = "a tenant key may have the roles tenant-admin and agent only")
        boolean isRolesForATenant() {
            return roles == null || !roles.contains(Role.PLATFORM_ADMIN);
        }
    }

    private final TenantAccess access;
    private final ApiKeyService keys;

    public ApiKeyResource(TenantAccess access, ApiKeyService keys) {
        this.access = access;
        this.keys = keys;
    }

    @GET
    public List<ApiKeyService.ApiKeyView> list(@PathParam("tenant") String slug) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        return TenantScope.call(tenant.id(), () -> keys.list(tenant.id()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("tenant") String slug,
            @Valid @NotNull(message = "a JSON body with 'name' and 'roles' is required") CreateApiKey request) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        ApiKeyService.Created created = TenantScope.call(tenant.id(),
                () -> keys.create(tenant.id(), request.name().strip(), EnumSet.copyOf(request.roles())));
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("tenant") String slug, @PathParam("id") UUID id) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        TenantScope.run(tenant.id(), () -> keys.revoke(tenant.id(), id));
        return Response.noContent().build();
    }
}
