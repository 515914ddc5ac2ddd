package io.switchboard.admin;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.evaluation.Evaluation;
import io.switchboard.evaluation.EvaluationRequest;
import io.switchboard.evaluation.EvaluationService;
import io.switchboard.evaluation.EvaluationTurn;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantAccess;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Replay evaluations: a candidate model answers a sample of the tenant's past customer turns in
 * the background; its results are read, compared with other evaluations, or the run cancelled.
 */
@Path("/api/v1/tenants/{tenant}/evaluations")
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationResource {

    private final TenantAccess access;
    private final EvaluationService evaluations;
    private final SecurityIdentity identity;

    public EvaluationResource(TenantAccess access, EvaluationService evaluations, SecurityIdentity identity) {
        this.access = access;
        this.evaluations = evaluations;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(@PathParam("tenant") String slug, @Valid @NotNull(message = "a JSON body with 'candidate' is required")
            EvaluationRequest request, @jakarta.ws.rs.core.Context UriInfo uri) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        String actor = identity.getPrincipal().getName();
        Evaluation started = TenantScope.call(tenant.id(), () -> evaluations.start(tenant.id(), request, actor));
        evaluations.runSoon();
        return Response.accepted(started).location(uri.getAbsolutePathBuilder().path(started.id().toString()).build()).build();
    }

    @GET
    public List<Evaluation> list(@PathParam("tenant") String slug) {
        return evaluations.list(access.require(slug, Role.TENANT_ADMIN).id());
    }

    @GET
    @Path("compare")
    public EvaluationService.Comparison compare(@PathParam("tenant") String slug, @QueryParam("ids") String ids) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        return evaluations.compare(tenant.id(), parseIds(ids));
    }

    @GET
    @Path("{id}")
    public Evaluation get(@PathParam("tenant") String slug, @PathParam("id") UUID id) {
        return evaluations.get(access.require(slug, Role.TENANT_ADMIN).id(), id);
    }

    @GET
    @Path("{id}/turns")
    public List<EvaluationTurn> turns(@PathParam("tenant") String slug, @PathParam("id") UUID id) {
        return evaluations.turns(access.require(slug, Role.TENANT_ADMIN).id(), id);
    }

    @POST
    @Path("{id}/cancel")
    public Evaluation cancel(@PathParam("tenant") String slug, @PathParam("id") UUID id) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        return TenantScope.call(tenant.id(), () -> evaluations.cancel(tenant.id(), id));
    }

    private static List<UUID> parseIds(String ids) {
        if (ids == null || ids.isBlank()) {
            throw ProblemException.invalid("ids", "is required: comma-separated evaluation ids");
        }
        try {
            return Arrays.stream(ids.split(",")).map(String::strip).map(UUID::fromString).toList();
        } catch (IllegalArgumentException notAnId) {
            throw ProblemException.invalid("ids", "must be comma-separated evaluation ids");
        }
    }
}
