package io.switchboard.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.switchboard.knowledge.Retrieval;
import io.switchboard.model.ChatCompletions;
import io.switchboard.model.Grounding;
import io.switchboard.model.ModelCatalog;
import io.switchboard.model.ModelEndpoint;
import io.switchboard.model.ModelFailure;
import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.model.ModelRequest;
import io.switchboard.model.ModelService;
import io.switchboard.platform.LogContext;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.Caller;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * An OpenAI-compatible endpoint per tenant ({@code /v1/chat/completions}, {@code /v1/models}), so
 * the tenant's own tools use its model policy (allowed models, fallbacks, residency, budget) with
 * any OpenAI client. The tenant comes from the API key; the model is {@code default} (the tenant's
 * policy) or {@code <endpoint>/<model>}.
 *
 * <p>A Vert.x route rather than a JAX-RS resource: this is a proxy's hot path, and a call runs on
 * the event loop that received it, from the request body to the model's last token, with no
 * thread hand-over (docs/benchmarks-archive.md). Only what may touch the database (tenant settings not in
 * memory, the knowledge search of the built-in answerer) runs on a worker first.
 */
@ApplicationScoped
public class ChatCompletionsRoute {

    public static final String DEFAULT_MODEL = "default";
    /** Knowledge passages handed to the built-in retrieval answerer (language models get the caller's prompt as it is). */
    private static final int GROUNDING_PASSAGES = 4;

    private static final Logger LOG = Logger.getLogger(ChatCompletionsRoute.class);
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private final TenantService tenants;
    private final ModelPolicies policies;
    private final ModelCatalog catalog;
    private final ModelService models;
    private final Retrieval retrieval;
    private final ObjectMapper json;
    private final long maxBodyBytes;

    public ChatCompletionsRoute(
            TenantService tenants,
            ModelPolicies policies,
            ModelCatalog catalog,
            ModelService models,
            Retrieval retrieval,
            ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.tenants = tenants;
        this.policies = policies;
        this.catalog = catalog;
        this.models = models;
        this.retrieval = retrieval;
        this.json = json;
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.get("/v1/models")
                .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .handler(this::models);
        router.post("/v1/chat/completions")
                .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(this::complete);
    }

    /** A validated request, ready for the model: who asks, under which policy, with what. */
    private record Prepared(
            TenantSettings tenant, ModelPolicy policy, ModelRequest modelRequest, String model, boolean includeUsage) {}

    private void models(RoutingContext context) {
        UUID tenantId;
        try {
            tenantId = callerTenant(context);
        } catch (Refusal refusal) {
            refuse(context, refusal);
            return;
        }
        Optional<ModelPolicies.Current> remembered = policies.remembered(tenantId);
        if (remembered.isPresent()) {
            send(context, 200, modelList(remembered.get()));
            return;
        }
        context.vertx()
                .executeBlocking(
                        () -> modelList(policies.current(knownTenant(tenantId).id())), false)
                .onSuccess(list -> send(context, 200, list))
                .onFailure(error -> failed(context, error));
    }

    private ChatCompletions.ModelList modelList(ModelPolicies.Current policy) {
        long created = policy.version();
        List<ChatCompletions.ModelEntry> entries = new ArrayList<>();
        entries.add(new ChatCompletions.ModelEntry(DEFAULT_MODEL, "model", created, "switchboard"));
        catalog.available(policy.allowedEndpoints())
                .forEach(endpoint -> endpoint.models()
                        .forEach(model -> entries.add(new ChatCompletions.ModelEntry(
                                endpoint.id() + "/" + model, "model", created, endpoint.id()))));
        return new ChatCompletions.ModelList("list", entries);
    }

    private void complete(RoutingContext context) {
        ChatCompletions.Request request;
        UUID tenantId;
        try {
            tenantId = callerTenant(context);
            request = parse(context.body().buffer());
        } catch (Refusal refusal) {
            refuse(context, refusal);
            return;
        }
        Optional<TenantSettings> remembered = tenants.findRemembered(tenantId);
        Optional<ModelPolicies.Current> rememberedPolicy = policies.remembered(tenantId);
        try {
            if (remembered.isPresent() && rememberedPolicy.isPresent()) {
                ModelPolicy policy = policyFor(rememberedPolicy.get(), request.model());
                if (!catalog.answersFromKnowledge(policy)) {
                    answer(context, prepared(remembered.get(), policy, request, Grounding.none()));
                    return;
                }
            }
        } catch (RuntimeException refused) {
            failed(context, refused);
            return;
        }
        context.vertx()
                .executeBlocking(
                        () -> {
                            TenantSettings tenant = knownTenant(tenantId);
                            ModelPolicy policy = policyFor(policies.current(tenantId), request.model());
                            Grounding grounding = catalog.answersFromKnowledge(policy)
                                    ? TenantScope.call(
                                            tenant.id(),
                                            () -> retrieval.ground(
                                                    OpenAiShapes.lastUser(request.messages()),
                                                    tenant.minAnswerConfidence(),
                                                    GROUNDING_PASSAGES))
                                    : Grounding.none();
                            return prepared(tenant, policy, request, grounding);
                        },
                        false)
                .onSuccess(prepared -> answer(context, prepared))
                .onFailure(error -> failed(context, error));
    }

    private static Prepared prepared(
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

    private void answer(RoutingContext context, Prepared prepared) {
        String id = "chatcmpl-" + OpenAiShapes.randomId();
        long created = System.currentTimeMillis() / 1000;
        if (!prepared.modelRequest().streamed()) {
            models.answer(prepared.policy(), prepared.modelRequest(), fragment -> {})
                    .whenComplete((answer, error) -> {
                        if (error == null) {
                            send(context, 200, OpenAiShapes.completion(id, created, prepared.model(), answer));
                        } else {
                            ModelFailure failure = ModelFailure.from(error);
                            logFailure(prepared, "call", failure);
                            refuse(context, Refusal.of(failure));
                        }
                    });
            return;
        }
        // vLLM's shape: a role delta, content deltas, a finish chunk, usage when asked for, then [DONE].
        HttpServerResponse response = context.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        event(
                response,
                OpenAiShapes.chunk(id, created, prepared.model(), new ChatCompletions.Delta("assistant", ""), null));
        models.answer(
                        prepared.policy(),
                        prepared.modelRequest(),
                        fragment -> event(
                                response,
                                OpenAiShapes.chunk(
                                        id,
                                        created,
                                        prepared.model(),
                                        new ChatCompletions.Delta(null, fragment),
                                        null)))
                .whenComplete((answer, error) -> {
                    if (error == null) {
                        event(
                                response,
                                OpenAiShapes.chunk(
                                        id,
                                        created,
                                        prepared.model(),
                                        new ChatCompletions.Delta(null, ""),
                                        OpenAiShapes.finishReason(answer.reply())));
                        if (prepared.includeUsage()) {
                            event(
                                    response,
                                    new ChatCompletions.Completion(
                                            id,
                                            "chat.completion.chunk",
                                            created,
                                            prepared.model(),
                                            List.of(),
                                            OpenAiShapes.usage(answer.usage())));
                        }
                    } else {
                        ModelFailure failure = ModelFailure.from(error);
                        logFailure(prepared, "stream", failure);
                        event(response, Refusal.of(failure).body());
                    }
                    if (!response.closed() && !response.ended()) {
                        response.end(DONE);
                    }
                });
    }

    /** A customer who hung up gets nothing more; the model's answer is still metered. */
    private void event(HttpServerResponse response, Object body) {
        if (response.closed() || response.ended()) {
            return;
        }
        Buffer event = Buffer.buffer(256)
                .appendString("data: ")
                .appendBytes(bytes(body))
                .appendString("\n\n");
        response.write(event);
    }

    private static void logFailure(Prepared prepared, String what, ModelFailure failure) {
        try (LogContext ignored = LogContext.of(prepared.tenant().slug(), null)) {
            LOG.warnf("OpenAI-compatible %s failed: %s", what, failure.reason().tag());
        }
    }

    private ChatCompletions.Request parse(Buffer body) {
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

    private static UUID callerTenant(RoutingContext context) {
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

    private TenantSettings knownTenant(UUID tenantId) {
        return tenants.findById(tenantId)
                .orElseThrow(() -> new Refusal(401, "Unknown API key", "invalid_request_error", "invalid_api_key"));
    }

    /** {@code default} is the tenant's policy; a named model must be one the tenant may use, with the policy's fallbacks. */
    private ModelPolicy policyFor(ModelPolicies.Current current, String requested) {
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

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private void send(RoutingContext context, int status, Object body) {
        HttpServerResponse response = context.response();
        if (!response.closed() && !response.ended()) {
            response.setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(bytes(body)));
        }
    }

    private void refuse(RoutingContext context, Refusal refusal) {
        send(context, refusal.status, refusal.body());
    }

    private void failed(RoutingContext context, Throwable error) {
        if (error instanceof Refusal refusal) {
            refuse(context, refusal);
        } else {
            LOG.errorf(error, "The OpenAI-compatible request could not be prepared");
            refuse(context, new Refusal(500, "The request could not be handled", "api_error", "internal_error"));
        }
    }
}
