package io.switchboard.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.assistant.ConsumptionLimits;
import io.switchboard.model.Capabilities;
import io.switchboard.model.ChatCompletions;
import io.switchboard.model.Grounding;
import io.switchboard.model.ModelCapabilities;
import io.switchboard.model.ModelCatalog;
import io.switchboard.model.ModelEndpoint;
import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.model.ModelRequest;
import io.switchboard.tenant.TenantSettings;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads an OpenAI chat completion request in the model service's terms: the caller's tenant, a
 * validated body, the policy for the model it names and the {@link ModelRequest} to ask. Whatever
 * the caller got wrong is a {@link Refusal} worded as OpenAI's own API words it. The body itself
 * goes with the request, for models that speak OpenAI to receive as it came.
 */
@Singleton
class CompletionRequests {

    static final String DEFAULT_MODEL = "default";

    /** The caller's body as it came, and the fields of it Switchboard reads. */
    record Parsed(ObjectNode body, ChatCompletions.Request request) {}

    /** A validated request, ready for the model: who asks, under which policy, with what. */
    record Prepared(
            TenantSettings tenant,
            ModelPolicy policy,
            ModelRequest modelRequest,
            String model,
            boolean includeUsage,
            int choices) {}

    private final ModelCatalog catalog;
    private final ModelCapabilities capabilities;
    private final ObjectMapper json;

    CompletionRequests(ModelCatalog catalog, ModelCapabilities capabilities, ObjectMapper json) {
        this.catalog = catalog;
        this.capabilities = capabilities;
        this.json = json;
    }

    Parsed parse(Buffer body) {
        ObjectNode tree = OpenAiShapes.requestBody(json, body, "a chat completion request");
        ChatCompletions.Request request;
        try {
            request = json.treeToValue(tree, ChatCompletions.Request.class);
        } catch (JsonProcessingException malformed) {
            throw OpenAiShapes.notA("a chat completion request", malformed);
        }
        List<String> problems = request.problems();
        if (!problems.isEmpty()) {
            // Each problem starts with its field as on the wire: param names the first, as OpenAI's errors do.
            String first = problems.get(0);
            throw Refusal.invalid(String.join("; ", problems), first.substring(0, first.indexOf(':')), "invalid_value");
        }
        return new Parsed(tree, request);
    }

    /**
     * Refuses what no model of the policy can answer, naming each model and what it lacks: tools,
     * JSON mode or images for models whose provider or last probe says they cannot (a model never
     * probed may), and audio or file parts, which no probe records. When one model can, the
     * router skips the others for it.
     */
    void checkCapabilities(ModelPolicy policy, ChatCompletions.Request request) {
        String audioOrFile = request.firstAudioOrFilePart();
        if (audioOrFile != null) {
            throw Refusal.notSupported(
                    "The model `" + policy.primary() + "` does not accept audio or files; send text or image parts",
                    audioOrFile);
        }
        capabilities.noneCapable(policy.candidates(), request.needs()).ifPresent(lacking -> {
            Capabilities.Need first = lacking.getFirst().needs().iterator().next();
            String param = first == Capabilities.Need.IMAGES ? request.firstImagePart() : first.field();
            String models =
                    lacking.stream().map(ModelCapabilities.Lacking::describe).collect(Collectors.joining("; "));
            throw Refusal.notSupported(
                    (lacking.size() == 1 ? "The model " : "No model of the policy can answer: ") + models
                            + "; choose a model that can (GET /v1/models)",
                    param);
        });
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

    /**
     * The request for the model: the caller's token cap, bounded by the tenant's limit per answer,
     * which applies when it named none. Like OpenAI's, the cap bounds each choice: a caller asking
     * for n choices may get n times as many tokens, all metered from the model's usage.
     */
    static Prepared prepared(TenantSettings tenant, ModelPolicy policy, Parsed parsed, Grounding grounding) {
        ChatCompletions.Request request = parsed.request();
        int limit = ConsumptionLimits.of(tenant).maxOutputTokensPerTurn();
        Integer asked = request.maxOutputTokens();
        ModelRequest modelRequest = new ModelRequest(
                tenant.id(),
                tenant.slug(),
                ModelRequest.Source.API,
                null,
                OpenAiShapes.turns(request.messages()),
                grounding,
                asked == null ? limit : Math.min(asked, limit),
                request.streaming(),
                new ModelRequest.OpenAiBody(parsed.body(), request.needs(), null));
        String model = request.model() == null || request.model().isBlank() ? DEFAULT_MODEL : request.model();
        return new Prepared(tenant, policy, modelRequest, model, request.includeUsage(), request.choices());
    }
}
