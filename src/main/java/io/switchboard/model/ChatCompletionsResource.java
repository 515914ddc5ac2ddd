package io.switchboard.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.knowledge.KnowledgeService;
import io.switchboard.tenant.Caller;
import io.switchboard.tenant.TenantScope;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * An OpenAI-compatible endpoint per tenant, so the tenant's own tools use its model policy
 * (allowed models, fallbacks, residency) with any OpenAI client. The tenant comes from the API
 * key; the model is {@code default} (the tenant's policy) or {@code <endpoint>/<model>}.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ChatCompletionsResource {

    public static final String DEFAULT_MODEL = "default";
    /** Knowledge passages handed to the built-in retrieval answerer (language models get the caller's prompt as it is). */
    private static final int GROUNDING_PASSAGES = 4;
    private static final Logger LOG = Logger.getLogger(ChatCompletionsResource.class);

    private final SecurityIdentity identity;
    private final TenantService tenants;
    private final ModelCatalog catalog;
    private final ModelService models;
    private final KnowledgeService knowledge;
    private final ObjectMapper json;

    public ChatCompletionsResource(SecurityIdentity identity, TenantService tenants, ModelCatalog catalog, ModelService models,
            KnowledgeService knowledge, ObjectMapper json) {
        this.identity = identity;
        this.tenants = tenants;
        this.catalog = catalog;
        this.models = models;
        this.knowledge = knowledge;
        this.json = json;
    }

    @GET
    @Path("models")
    public ChatCompletions.ModelList models() {
        TenantSettings tenant = tenant();
        long created = tenant.modelPolicyVersion();
        List<ChatCompletions.ModelEntry> entries = new ArrayList<>();
        entries.add(new ChatCompletions.ModelEntry(DEFAULT_MODEL, "model", created, "switchboard"));
        catalog.available(tenant.allowedEndpoints()).forEach(endpoint -> endpoint.models().forEach(model ->
                entries.add(new ChatCompletions.ModelEntry(endpoint.id() + "/" + model, "model", created, endpoint.id()))));
        return new ChatCompletions.ModelList("list", entries);
    }

    @POST
    @Path("chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response complete(@Valid @NotNull(message = "a JSON body is required") ChatCompletions.Request request) {
        TenantSettings tenant = tenant();
        ModelPolicy policy = policyFor(tenant, request.model());
        List<ModelRequest.Turn> turns = turns(request.messages());
        Grounding grounding = catalog.answersFromKnowledge(policy)
                ? TenantScope.call(tenant.id(), () -> knowledge.ground(lastUser(request.messages()), tenant.minAnswerConfidence(), GROUNDING_PASSAGES))
                : Grounding.none();
        ModelRequest modelRequest = new ModelRequest(tenant.id(), tenant.slug(), ModelRequest.Source.API, null, turns, grounding,
                request.maxOutputTokens());
        String id = "chatcmpl-" + UUID.randomUUID();
        long created = System.currentTimeMillis() / 1000;
        String model = request.model() == null || request.model().isBlank() ? DEFAULT_MODEL : request.model();
        if (request.streaming()) {
            StreamingOutput events = output -> stream(output, policy, modelRequest, id, created, model, request.includeUsage());
            return Response.ok(events, MediaType.SERVER_SENT_EVENTS).header("Cache-Control", "no-cache").build();
        }
        try {
            ModelService.Answer answer = models.chat(policy, modelRequest, fragment -> { });
            return Response.ok(completion(id, created, model, answer)).build();
        } catch (ModelFailure failure) {
            LOG.warnf("OpenAI-compatible call failed: %s", failure.reason().tag());
            FailureShape shape = FailureShape.of(failure);
            throw openAiError(shape.status(), shape.message(), shape.type(), shape.code());
        }
    }

    /** How OpenAI itself reports each failure, so clients' retry and quota handling works unchanged. */
    private record FailureShape(int status, String message, String type, String code) {

        static FailureShape of(ModelFailure failure) {
            return switch (failure.reason()) {
                case BUDGET_EXCEEDED -> new FailureShape(429, "The tenant's monthly model budget is spent", "insufficient_quota",
                        "insufficient_quota");
                case TENANT_BUSY -> new FailureShape(429, "Too many requests in flight for this tenant; retry shortly",
                        "rate_limit_error", "rate_limit_exceeded");
                default -> new FailureShape(502, "The model could not answer: " + failure.reason().tag(), "api_error", "upstream_error");
            };
        }
    }

    /** vLLM's shape: a role delta, content deltas, a finish chunk, usage when asked for, then [DONE]. */
    private void stream(OutputStream output, ModelPolicy policy, ModelRequest request, String id, long created, String model,
            boolean includeUsage) throws IOException {
        event(output, chunk(id, created, model, new ChatCompletions.Delta("assistant", ""), null));
        try {
            ModelService.Answer answer = models.chat(policy, request, fragment -> {
                try {
                    event(output, chunk(id, created, model, new ChatCompletions.Delta(null, fragment), null));
                } catch (IOException clientGone) {
                    throw new UncheckedIOException(clientGone);
                }
            });
            event(output, chunk(id, created, model, new ChatCompletions.Delta(null, ""), finishReason(answer.reply())));
            if (includeUsage) {
                event(output, new ChatCompletions.Completion(id, "chat.completion.chunk", created, model, List.of(), usage(answer.usage())));
            }
        } catch (ModelFailure failure) {
            LOG.warnf("OpenAI-compatible stream failed: %s", failure.reason().tag());
            FailureShape shape = FailureShape.of(failure);
            event(output, ChatCompletions.Error.of(shape.message(), shape.type(), shape.code()));
        }
        output.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        output.flush();
    }

    private void event(OutputStream output, Object body) throws IOException {
        output.write(("data: " + json.writeValueAsString(body) + "\n\n").getBytes(StandardCharsets.UTF_8));
        output.flush();
    }

    private static ChatCompletions.Completion completion(String id, long created, String model, ModelService.Answer answer) {
        return new ChatCompletions.Completion(id, "chat.completion", created, model,
                List.of(new ChatCompletions.Choice(0, new ChatCompletions.Message("assistant", answer.reply().text()), null,
                        finishReason(answer.reply()))),
                usage(answer.usage()));
    }

    /** OpenAI's finish reasons: "length" tells the client the answer stopped at its token limit. */
    private static String finishReason(ModelReply reply) {
        return reply.cutShort() ? "length" : "stop";
    }

    private static ChatCompletions.Completion chunk(String id, long created, String model, ChatCompletions.Delta delta, String finish) {
        return new ChatCompletions.Completion(id, "chat.completion.chunk", created, model,
                List.of(new ChatCompletions.Choice(0, null, delta, finish)), null);
    }

    private static ChatCompletions.Usage usage(ModelService.Usage usage) {
        int input = usage.inputTokens() == null ? 0 : usage.inputTokens();
        int output = usage.outputTokens() == null ? 0 : usage.outputTokens();
        return new ChatCompletions.Usage(input, output, input + output);
    }

    private TenantSettings tenant() {
        if (identity.isAnonymous()) {
            throw openAiError(401, "Provide a tenant API key: Authorization: Bearer sbk_...", "invalid_request_error", "invalid_api_key");
        }
        UUID tenantId = identity.getAttribute(Caller.TENANT_ATTRIBUTE);
        if (tenantId == null) {
            throw openAiError(403, "Use an API key of a tenant: the model policy is per tenant", "invalid_request_error", "tenant_key_required");
        }
        return tenants.findById(tenantId).orElseThrow(() -> openAiError(401, "Unknown API key", "invalid_request_error", "invalid_api_key"));
    }

    /** {@code default} is the tenant's policy; a named model must be one the tenant may use, with the policy's fallbacks. */
    private ModelPolicy policyFor(TenantSettings tenant, String requested) {
        ModelPolicy policy = tenant.modelPolicy();
        if (requested == null || requested.isBlank() || requested.equals(DEFAULT_MODEL)) {
            return policy;
        }
        int slash = requested.indexOf('/');
        if (slash > 0) {
            ModelPolicy chosen = new ModelPolicy(new ModelRef(requested.substring(0, slash), requested.substring(slash + 1)),
                    policy.fallbacks(), policy.budget(), policy.residency(), policy.openConversations());
            if (catalog.problemsWith(ModelPolicy.of(chosen.primary()), tenant.allowedEndpoints()).isEmpty()
                    && (policy.residency() == ModelPolicy.Residency.ANY
                            || catalog.endpoint(chosen.primary().endpoint()).map(ModelEndpoint::selfHosted).orElse(false))) {
                return chosen;
            }
        }
        throw openAiError(404, "The model `" + requested + "` does not exist or is not available to this tenant; see GET /v1/models",
                "invalid_request_error", "model_not_found");
    }

    private static List<ModelRequest.Turn> turns(List<ChatCompletions.Message> messages) {
        return messages.stream().map(message -> new ModelRequest.Turn(switch (message.role().toLowerCase(Locale.ROOT)) {
            case "system", "developer" -> ModelRequest.Role.SYSTEM;
            case "user" -> ModelRequest.Role.USER;
            case "assistant" -> ModelRequest.Role.ASSISTANT;
            default -> throw openAiError(400, "Unsupported message role '" + message.role() + "'", "invalid_request_error", "invalid_role");
        }, message.content())).toList();
    }

    private static String lastUser(List<ChatCompletions.Message> messages) {
        return Stream.iterate(messages.size() - 1, i -> i >= 0, i -> i - 1).map(messages::get)
                .filter(message -> "user".equalsIgnoreCase(message.role())).map(ChatCompletions.Message::content)
                .findFirst().orElse("");
    }

    private static WebApplicationException openAiError(int status, String message, String type, String code) {
        return new WebApplicationException(Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(ChatCompletions.Error.of(message, type, code)).build());
    }
}
