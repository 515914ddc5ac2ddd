package io.switchboard.admin;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.model.ModelChoices;
import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelPolicy;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.tenant.Role;
import io.switchboard.evaluation.CanaryService;
import io.switchboard.evaluation.CanaryStatus;
import io.switchboard.tenant.TenantAccess;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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
public class ModelPolicyResource {

    private final TenantAccess access;
    private final ModelPolicies policies;
    private final SecurityIdentity identity;
    private final CanaryService canaries;

    public ModelPolicyResource(TenantAccess access, ModelPolicies policies, SecurityIdentity identity, CanaryService canaries) {
        this.access = access;
        this.policies = policies;
        this.identity = identity;
        this.canaries = canaries;
    }

    @GET
    public Response get(@PathParam("tenant") String slug) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        return withETag(policies.current(tenant.id()).state());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("tenant") String slug, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull(message = "a JSON body with 'primary' is required") ModelPolicy policy) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        String actor = identity.getPrincipal().getName();
        return withETag(TenantScope.call(tenant.id(), () -> policies.update(tenant.id(), policy, version(ifMatch), actor)));
    }

    @GET
    @Path("versions")
    public List<ModelPolicies.PolicyChange> history(@PathParam("tenant") String slug) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        return TenantScope.call(tenant.id(), () -> policies.history(tenant.id()));
    }

    /** The running canary next to the primary since it started: each group's outcomes and the limits it breaks. */
    @GET
    @Path("canary")
    public CanaryStatus canary(@PathParam("tenant") String slug) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        return TenantScope.call(tenant.id(), () -> canaries.status(tenant.id()))
                .orElseThrow(() -> ProblemException.notFound("Canary"));
    }

    /** The canary becomes the primary (the old primary first among the fallbacks): a new policy version. */
    @POST
    @Path("canary/promote")
    public Response promote(@PathParam("tenant") String slug, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        String actor = identity.getPrincipal().getName();
        return withETag(TenantScope.call(tenant.id(), () -> canaries.promote(tenant.id(), version(ifMatch), actor)));
    }

    private static Response withETag(ModelPolicies.PolicyState state) {
        return Response.ok(state.policy()).tag(new EntityTag(Integer.toString(state.version()))).build();
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
    public static class Models {

        private final TenantAccess access;
        private final ModelChoices choices;
        private final ModelPolicies policies;

        public Models(TenantAccess access, ModelChoices choices, ModelPolicies policies) {
            this.access = access;
            this.choices = choices;
            this.policies = policies;
        }

        /** Each model with its prices (US dollars per million tokens) and its latest capability probe. */
        @GET
        public List<ModelChoices.Choice> models(@PathParam("tenant") String slug) {
            TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
            return choices.forTenant(policies.current(tenant.id()).allowedEndpoints());
        }
    }
}
