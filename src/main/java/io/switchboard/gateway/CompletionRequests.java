package io.switchboard.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.switchboard.model.ChatCompletions;
import io.switchboard.model.Grounding;
import io.switchboard.model.ModelCatalog;
import io.switchboard.model.ModelEndpoint;
import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.model.ModelRequest;
import io.switchboard.tenant.Caller;
import io.switchboard.tenant.TenantSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * Reads an OpenAI chat completion request in the model service's terms: the caller's tenant, a
 * validated body, the policy for the model it names and the {@link ModelRequest} to ask. Whatever
 * the caller got wrong is a {@link Refusal} worded as OpenAI's own API words it.
 */
@Singleton
class CompletionRequests {

    static final String DEFAULT_MODEL = "default";

    /** A validated request, ready for the model: who asks, under which policy, with what. */
    record Prepared(
            TenantSettings tenant, ModelPolicy policy, ModelRequest modelRequest, String model, boolean includeUsage) {}

    private final ModelCatalog catalog;
    private final ObjectMapper json;

    CompletionRequests(ModelCatalog catalog, ObjectMapper json) {
        this.catalog = catalog;
        this.json = json;
    }

    static UUID callerTenant(RoutingContext context) {
        SecurityIdentity identity = context.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        if (identity == null || identity.isAnonymous()) {
            throw new Refusal(
                    401,
                    "Provide a tenant API key: Authorization: Bearer sbk_...",
                    "invalid_request_error",
                    "invalid_api_key");
        }
        UUID tenantId = identity.getAttribute(Caller.TENANT_ATTRIBUTE);
        if (tenantId == null) {
            throw new Refusal(
                    403,
                    "Use an API key of a tenant: the model policy is per tenant",
                    "invalid_request_error",
                    "tenant_key_required");
        }
        return tenantId;
    }

    ChatCompletions.Request parse(Buffer body) {
        if (body == null || body.length() == 0) {
            throw Refusal.invalid("A JSON body is required", "invalid_body");
        }
        ChatCompletions.Request request;
        try {
            request = json.readValue(body.getBytes(), ChatCompletions.Request.class);
        } catch (JsonProcessingException malformed) {
            throw Refusal.invalid(
                    "The body is not a chat completion request: " + malformed.getOriginalMessage(), "invalid_body");
        } catch (IOException unreadable) {
            throw Refusal.invalid("The body could not be read", "invalid_body");
        }
        if (request == null) {
            throw Refusal.invalid("A JSON body is required", "invalid_body");
        }
        List<String> problems = request.problems();
        if (!problems.isEmpty()) {
            throw Refusal.invalid(String.join("; ", problems), "invalid_value");
        }
        return request;
    }

    /** {@code default} is the tenant's policy; a named model must be one the tenant may use, with the policy's fallbacks. */
    ModelPolicy policyFor(ModelPolicies.Current current, String requested) {
        ModelPolicy policy = current.policy();
        if (requested == null || requested.isBlank() || requested.equals(DEFAULT_MODEL)) {
            return policy;
        }
        int slash = requested.indexOf('/');
        if (slash > 0) {
            ModelPolicy chosen = new ModelPolicy(
                    new ModelRef(requested.substring(0, slash), requested.substring(slash + 1)),
                    policy.fallbacks(),
                    policy.budget(),
                    policy.residency(),
                    policy.openConversations());
            if (catalog.problemsWith(ModelPolicy.of(chosen.primary()), current.allowedEndpoints())
                            .isEmpty()
                    && (policy.residency() == ModelPolicy.Residency.ANY
                            || catalog.endpoint(chosen.primary().endpoint())
                                    .map(ModelEndpoint::selfHosted)
                                    .orElse(false))) {
                return chosen;
            }
        }
        throw new Refusal(
                404,
                "The model `" + requested + "` does not exist or is not available to this tenant; see GET /v1/models",
                "invalid_request_error",
                "model_not_found");
    }

    static Prepared prepared(
            TenantSettings tenant, ModelPolicy policy, ChatCompletions.Request request, Grounding grounding) {
        ModelRequest modelRequest = new ModelRequest(
                tenant.id(),
                tenant.slug(),
                ModelRequest.Source.API,
                null,
                OpenAiShapes.turns(request.messages()),
                grounding,
                request.maxOutputTokens(),
                request.streaming());
        String model = request.model() == null || request.model().isBlank() ? DEFAULT_MODEL : request.model();
        return new Prepared(tenant, policy, modelRequest, model, request.includeUsage());
    }
}
