package io.switchboard.admin;

import io.switchboard.tenant.AccountService;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's built-in accounts (embedded default): its admins and agents, who log in to the
 * console with a password or call the API with HTTP Basic. In production Keycloak owns people.
 */
@Path("/api/v1/tenants/{tenant}/members")
@Produces(MediaType.APPLICATION_JSON)
@ForTenant(Role.TENANT_ADMIN)
public class MemberResource {

    private static final String TENANT_ROLES = "a member may have the roles tenant-admin and agent only";

    public record AddMember(
            @NotBlank
            @Size(min = 3, max = 100)
            @Pattern(regexp = "[A-Za-z0-9._@+-]*", message = "may contain letters, digits and . _ @ + - only")
            String username,

            @NotNull String password,

            @NotEmpty(message = "must name at least one role: tenant-admin or agent")
            List<@NotNull Role> roles) {

        @AssertTrue(message = TENANT_ROLES)
        boolean isRolesForATenant() {
            return roles == null || !roles.contains(Role.PLATFORM_ADMIN);
        }
    }

    /** Only what is given changes. */
    public record ChangeMember(
            @Size(min = 1, message = "must name at least one role")
            List<@NotNull Role> roles,

            String password) {

        @AssertTrue(message = TENANT_ROLES)
        boolean isRolesForATenant() {
            return roles == null || !roles.contains(Role.PLATFORM_ADMIN);
        }
    }

    private final CurrentTenant tenant;
    private final AccountService accounts;

    public MemberResource(CurrentTenant tenant, AccountService accounts) {
        this.tenant = tenant;
        this.accounts = accounts;
    }

    @GET
    public List<AccountService.MemberView> list() {
        return accounts.members(tenant.get().id());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(
            @Valid @NotNull(message = "a JSON body with 'username', 'password' and 'roles' is required")
                    AddMember request) {
        AccountService.MemberView added = accounts.add(
                tenant.get().id(), request.username(), request.password(), EnumSet.copyOf(request.roles()));
        return Response.status(Response.Status.CREATED).entity(added).build();
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public AccountService.MemberView change(
            @PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body with 'roles', 'password' or both is required")
                    ChangeMember request) {
        return accounts.change(
                tenant.get().id(),
                id,
                request.roles() == null ? null : EnumSet.copyOf(request.roles()),
                request.password());
    }

    @DELETE
    @Path("{id}")
    public Response remove(@PathParam("id") UUID id) {
        accounts.remove(tenant.get().id(), id);
        return Response.noContent().build();
    }
}
