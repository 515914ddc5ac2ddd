package io.switchboard.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.admin.ApiKeyResource;
import io.switchboard.admin.MemberResource;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.AccountService;
import io.switchboard.tenant.ApiKeyService;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.KeycloakDirectory;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantSettings;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tenant admin's team: the built-in accounts (embedded mode; with Keycloak, people are
 * managed there) and the tenant's API keys. Adding a member or a key goes through the admin API's
 * own request records and checks; a new key is shown once, on the page that created it.
 */
@Path("/console/t/{tenant}/team")
@Produces(MediaType.TEXT_HTML)
@ForTenant(Role.TENANT_ADMIN)
public class TeamPage {

    /** The add-member form as typed (never the password). */
    public record NewMember(String username, List<String> roles) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance team(
                TenantSettings tenant,
                String username,
                boolean builtInAccounts,
                List<AccountService.MemberView> members,
                List<ApiKeyService.ApiKeyView> keys,
                NewMember member,
                String keyName,
                Map<String, String> errors,
                ApiKeyService.Created createdKey,
                String notice);
    }

    private final CurrentTenant current;
    private final AccountService accounts;
    private final ApiKeyService keys;
    private final KeycloakDirectory keycloak;
    private final Validator validator;
    private final SecurityIdentity identity;

    public TeamPage(
            CurrentTenant current,
            AccountService accounts,
            ApiKeyService keys,
            KeycloakDirectory keycloak,
            Validator validator,
            SecurityIdentity identity) {
        this.current = current;
        this.accounts = accounts;
        this.keys = keys;
        this.keycloak = keycloak;
        this.validator = validator;
        this.identity = identity;
    }

    @GET
    public TemplateInstance team(@QueryParam("notice") String notice) {
        return page(new NewMember("", List.of("agent")), "", Map.of(), null, notice);
    }

    @POST
    @Path("members")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response addMember(MultivaluedMap<String, String> fields) {
        NewMember typed = new NewMember(FormFields.text(fields, "username"), fields.getOrDefault("roles", List.of()));
        Map<String, String> errors = new LinkedHashMap<>();
        List<Role> roles = roles(typed.roles(), "roles", errors);
        MemberResource.AddMember request =
                new MemberResource.AddMember(typed.username(), FormFields.text(fields, "password"), roles);
        FormErrors.of(validator.validate(request), path -> path.startsWith("roles") ? "roles" : path)
                .forEach(errors::putIfAbsent);
        if (errors.isEmpty()) {
            try {
                accounts.add(current.get().id(), request.username(), request.password(), EnumSet.copyOf(roles));
                return back("Added " + request.username() + ": they can log in now.");
            } catch (ProblemException refused) {
                FormErrors.add(errors, refused, "member");
            }
        }
        return Response.status(422).entity(page(typed, "", errors, null, null)).build();
    }

    @POST
    @Path("members/{id}/remove")
    public Response removeMember(@PathParam("id") UUID id) {
        accounts.remove(current.get().id(), id);
        return back("Removed the member; their sessions end at their next request.");
    }

    @POST
    @Path("keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createKey(MultivaluedMap<String, String> fields) {
        Map<String, String> errors = new LinkedHashMap<>();
        List<Role> roles = roles(fields.getOrDefault("keyRoles", List.of()), "keyRoles", errors);
        ApiKeyResource.CreateApiKey request =
                new ApiKeyResource.CreateApiKey(FormFields.text(fields, "keyName"), roles);
        FormErrors.of(validator.validate(request), path -> path.startsWith("roles") ? "keyRoles" : "key." + path)
                .forEach(errors::putIfAbsent);
        if (!errors.isEmpty()) {
            return Response.status(422)
                    .entity(page(new NewMember("", List.of("agent")), request.name(), errors, null, null))
                    .build();
        }
        ApiKeyService.Created created = keys.create(current.get().id(), request.name(), EnumSet.copyOf(roles));
        return Response.status(201)
                .entity(page(new NewMember("", List.of("agent")), "", Map.of(), created, null))
                .build();
    }

    @POST
    @Path("keys/{id}/revoke")
    public Response revokeKey(@PathParam("id") UUID id) {
        keys.revoke(current.get().id(), id);
        return back("Revoked the key: it stops working on every replica within seconds.");
    }

    private TemplateInstance page(
            NewMember member,
            String keyName,
            Map<String, String> errors,
            ApiKeyService.Created createdKey,
            String notice) {
        TenantSettings tenant = current.get();
        boolean builtIn = !keycloak.enabled();
        return Templates.team(
                tenant,
                identity.getPrincipal().getName(),
                builtIn,
                builtIn ? accounts.members(tenant.id()) : List.of(),
                keys.list(tenant.id()),
                member,
                keyName,
                errors,
                createdKey,
                notice);
    }

    /** The roles ticked on a form; one that is not a tenant role is an error. */
    private static List<Role> roles(List<String> ticked, String field, Map<String, String> errors) {
        List<Role> roles = new ArrayList<>();
        for (String id : ticked) {
            try {
                roles.add(Role.of(id));
            } catch (IllegalArgumentException unknown) {
                errors.put(field, "must be tenant-admin or agent");
            }
        }
        return roles;
    }

    private Response back(String notice) {
        return Response.seeOther(UriBuilder.fromPath("/console/t/{tenant}/team")
                        .queryParam("notice", notice)
                        .build(current.get().slug()))
                .build();
    }
}
