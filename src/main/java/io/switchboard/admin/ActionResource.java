package io.switchboard.admin;

import io.switchboard.action.ActionDefinition;
import io.switchboard.action.ActionDefinitions;
import io.switchboard.action.ActionImportRequest;
import io.switchboard.action.ActionImports;
import io.switchboard.action.ActionService;
import io.switchboard.action.ActionTestRequest;
import io.switchboard.action.ActionTestResult;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A tenant's actions on its own API and the record of their calls; the signing secret is in the creation response only. */
@Path("/api/v1/tenants/{tenant}/actions")
@Produces(MediaType.APPLICATION_JSON)
@ForTenant(Role.TENANT_ADMIN)
public class ActionResource {

    private static final String BODY_REQUIRED =
            "a JSON body with 'name', 'description', 'method' and 'url' is required";

    private final CurrentTenant tenant;
    private final ActionDefinitions actions;
    private final ActionService calls;
    private final ActionImports imports;

    public ActionResource(CurrentTenant tenant, ActionDefinitions actions, ActionService calls, ActionImports imports) {
        this.tenant = tenant;
        this.actions = actions;
        this.calls = calls;
        this.imports = imports;
    }

    @GET
    public List<ActionDefinitions.ActionView> list() {
        return actions.list();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull(message = BODY_REQUIRED) ActionDefinition definition) {
        ActionDefinitions.ActionView created = actions.create(definition);
        return Response.created(URI.create("/api/v1/tenants/" + tenant.get().slug() + "/actions/" + created.id()))
                .entity(created)
                .build();
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") UUID id) {
        return withETag(actions.get(id));
    }

    /** A PUT with an If-Match that is not the action's current ETag gets 412. */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response replace(
            @PathParam("id") UUID id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull(message = BODY_REQUIRED) ActionDefinition definition) {
        return withETag(actions.replace(id, definition, version(ifMatch)));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") UUID id) {
        actions.delete(id);
        return Response.noContent().build();
    }

    private static Response withETag(ActionDefinitions.ActionView action) {
        return Response.ok(action).tag(new EntityTag(action.version())).build();
    }

    /** If-Match carries the ETag we sent, quoted (and maybe weak); "*" or none means any version. */
    private static String version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        return ifMatch.strip().replaceFirst("^W/", "").replace("\"", "");
    }

    /**
     * Previews the operations of an OpenAPI 3 document as actions (200) or, given operationIds,
     * creates an action for each of them (201, each with its signing secret, shown only here).
     */
    @POST
    @Path("import")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response importOpenApi(
            @Valid @NotNull(message = "a JSON body with the OpenAPI 'document' is required")
                    ActionImportRequest request) {
        if (request.operationIds() == null || request.operationIds().isEmpty()) {
            return Response.ok(imports.previewImport(request.document(), request.serverUrl()))
                    .build();
        }
        return Response.status(Response.Status.CREATED)
                .entity(Map.of(
                        "actions",
                        imports.importOperations(request.document(), request.serverUrl(), request.operationIds())))
                .build();
    }

    /** Calls the action once with sample arguments: the exact request made and the answer; recorded as a test. */
    @POST
    @Path("{id}/test")
    @Consumes(MediaType.APPLICATION_JSON)
    public ActionTestResult test(@PathParam("id") UUID id, @Valid ActionTestRequest request) {
        return calls.test(id, request);
    }

    @GET
    @Path("{id}/calls")
    public List<ActionDefinitions.CallView> calls(
            @PathParam("id") UUID id, @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return actions.calls(id, limit);
    }
}
