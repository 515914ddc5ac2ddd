package io.switchboard.admin;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.evaluation.CanaryService;
import io.switchboard.evaluation.CanaryStatus;
import io.switchboard.model.ModelChoices;
import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelPolicy;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * A tenant's model policy: which models answer, in which order, under which residency. Its
 * version is the ETag; a PUT with a stale If-Match gets 412. Open conversations keep the policy
 * version they started with.
 */
@Path("/api/v1/tenants/{tenant}/model-policy")
@Produces(MediaType.APPLICATION_JSON)
@ForTenant(Role.TENANT_ADMIN)
public class ModelPolicyResource {

    private final CurrentTenant tenant;
    private final ModelPolicies policies;
    private final SecurityIdentity identity;
    private final CanaryService canaries;

    public ModelPolicyResource(
            CurrentTenant tenant, ModelPolicies policies, SecurityIdentity identity, CanaryService canaries) {
        this.tenant = tenant;
        this.policies = policies;
        this.identity = identity;
        this.canaries = canaries;
    }

    @GET
    public Response get() {
        return withETag(policies.current(tenant.get().id()).state());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull(message = "a JSON body with 'primary' is required") ModelPolicy policy) {
        String actor = identity.getPrincipal().getName();
        return withETag(policies.update(tenant.get().id(), policy, version(ifMatch), actor));
    }

    @GET
    @Path("versions")
    public List<ModelPolicies.PolicyChange> history() {
        return policies.history(tenant.get().id());
    }

    /** The running canary next to the primary since it started: each group's outcomes and the limits it breaks. */
    @GET
    @Path("canary")
    public CanaryStatus canary() {
        return canaries.status(tenant.get().id()).orElseThrow(() -> ProblemException.notFound("Canary"));
    }

    /** The canary becomes the primary (the old primary first among the fallbacks): a new policy version. */
    @POST
    @Path("canary/promote")
    public Response promote(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        String actor = identity.getPrincipal().getName();
        return withETag(canaries.promote(tenant.get().id(), version(ifMatch), actor));
    }

    private static Response withETag(ModelPolicies.PolicyState state) {
        return Response.ok(state.policy())
                .tag(new EntityTag(Integer.toString(state.version())))
                .build();
    }

    /** If-Match carries the ETag we sent, quoted (and maybe weak); "*" means any version. */
    private static Integer version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String tag = ifMatch.strip().replaceFirst("^W/", "").replace("\"", "");
        try {
            return Integer.parseInt(tag);
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.PRECONDITION_FAILED, "If-Match must be an ETag this API returned");
        }
    }

    /** The catalogue as this tenant sees it: only the endpoints the operator allows it. */
    @Path("/api/v1/tenants/{tenant}/models")
    @Produces(MediaType.APPLICATION_JSON)
    @ForTenant(Role.TENANT_ADMIN)
    public static class Models {

        private final CurrentTenant tenant;
        private final ModelChoices choices;
        private final ModelPolicies policies;

        public Models(CurrentTenant tenant, ModelChoices choices, ModelPolicies policies) {
            this.tenant = tenant;
            this.choices = choices;
            this.policies = policies;
        }

        /** Each model with its prices (US dollars per million tokens) and its latest capability probe. */
        @GET
        public List<ModelChoices.Choice> models() {
            return choices.forTenant(policies.current(tenant.get().id()).allowedEndpoints());
        }
    }
}
