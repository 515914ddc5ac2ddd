package io.switchboard.admin;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.evaluation.Evaluation;
import io.switchboard.evaluation.EvaluationRequest;
import io.switchboard.evaluation.EvaluationService;
import io.switchboard.evaluation.EvaluationTurn;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
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
@ForTenant(Role.TENANT_ADMIN)
public class EvaluationResource {

    private final CurrentTenant tenant;
    private final EvaluationService evaluations;
    private final SecurityIdentity identity;

    public EvaluationResource(CurrentTenant tenant, EvaluationService evaluations, SecurityIdentity identity) {
        this.tenant = tenant;
        this.evaluations = evaluations;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(
            @Valid @NotNull(message = "a JSON body with 'candidate' is required") EvaluationRequest request,
            @jakarta.ws.rs.core.Context UriInfo uri) {
        String actor = identity.getPrincipal().getName();
        Evaluation started = evaluations.start(tenant.get().id(), request, actor);
        evaluations.runSoon();
        return Response.accepted(started)
                .location(uri.getAbsolutePathBuilder()
                        .path(started.id().toString())
                        .build())
                .build();
    }

    @GET
    public List<Evaluation> list() {
        return evaluations.list(tenant.get().id());
    }

    @GET
    @Path("compare")
    public EvaluationService.Comparison compare(@QueryParam("ids") String ids) {
        return evaluations.compare(tenant.get().id(), parseIds(ids));
    }

    @GET
    @Path("{id}")
    public Evaluation get(@PathParam("id") UUID id) {
        return evaluations.get(tenant.get().id(), id);
    }

    @GET
    @Path("{id}/turns")
    public List<EvaluationTurn> turns(@PathParam("id") UUID id) {
        return evaluations.turns(tenant.get().id(), id);
    }

    @POST
    @Path("{id}/cancel")
    public Evaluation cancel(@PathParam("id") UUID id) {
        return evaluations.cancel(tenant.get().id(), id);
    }

    private static List<UUID> parseIds(String ids) {
        if (ids == null || ids.isBlank()) {
            throw ProblemException.invalid("ids", "is required: comma-separated evaluation ids");
        }
        try {
            return Arrays.stream(ids.split(","))
                    .map(String::strip)
                    .map(UUID::fromString)
                    .toList();
        } catch (IllegalArgumentException notAnId) {
            throw ProblemException.invalid("ids", "must be comma-separated evaluation ids");
        }
    }
}
