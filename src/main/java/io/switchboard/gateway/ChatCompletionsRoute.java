package io.switchboard.gateway;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.switchboard.knowledge.Embedder;
import io.switchboard.knowledge.Retrieval;
import io.switchboard.model.ChatCompletions;
import io.switchboard.model.Grounding;
import io.switchboard.model.ModelCatalog;
import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelPolicy;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantSettings;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An OpenAI-compatible endpoint per tenant ({@code /v1/chat/completions}, {@code /v1/models}), so
 * the tenant's own tools use its model policy (allowed models, fallbacks, residency, budget) with
 * any OpenAI client. The tenant comes from the API key; the model is {@code default} (the tenant's
 * policy) or {@code <endpoint>/<model>}.
 *
 * <p>A Vert.x route rather than a JAX-RS resource: this is a proxy's hot path, and a call runs on
 * the event loop that received it, from the request body to the model's last token, with no
 * thread hand-over (docs/benchmarks-archive.md). Only what may touch the database (tenant settings not in
 * memory, the knowledge search of the built-in answerer) runs on a worker first. This class decides
 * where each step runs; {@link CompletionRequests} reads the request and {@link CompletionResponses}
 * writes the answer.
 */
@ApplicationScoped
public class ChatCompletionsRoute {

    /** Knowledge passages handed to the built-in retrieval answerer (language models get the caller's prompt as it is). */
    private static final int GROUNDING_PASSAGES = 4;

    private final V1Callers callers;
    private final ModelPolicies policies;
    private final ModelCatalog catalog;
    private final Retrieval retrieval;
    private final CompletionRequests requests;
    private final CompletionResponses responses;
    private final long maxBodyBytes;

    public ChatCompletionsRoute(
            V1Callers callers,
            ModelPolicies policies,
            ModelCatalog catalog,
            Retrieval retrieval,
            CompletionRequests requests,
            CompletionResponses responses,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.callers = callers;
        this.policies = policies;
        this.catalog = catalog;
        this.retrieval = retrieval;
        this.requests = requests;
        this.responses = responses;
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

    private void models(RoutingContext context) {
        UUID tenantId;
        try {
            tenantId = V1Callers.tenantOf(context);
        } catch (Refusal refusal) {
            responses.refuse(context, refusal);
            return;
        }
        Optional<ModelPolicies.Current> remembered = policies.remembered(tenantId);
        if (remembered.isPresent()) {
            responses.send(context, 200, modelList(remembered.get()));
            return;
        }
        context.vertx()
                .executeBlocking(() -> modelList(callers.load(tenantId).policy()), false)
                .onSuccess(list -> responses.send(context, 200, list))
                .onFailure(error -> responses.failed(context, null, "model list", error));
    }

    private ChatCompletions.ModelList modelList(ModelPolicies.Current policy) {
        long created = policy.version();
        List<ChatCompletions.ModelEntry> entries = new ArrayList<>();
        entries.add(new ChatCompletions.ModelEntry(CompletionRequests.DEFAULT_MODEL, "model", created, "switchboard"));
        entries.add(new ChatCompletions.ModelEntry(Embedder.MODEL_NAME, "model", created, "switchboard"));
        catalog.available(policy.allowedEndpoints())
                .forEach(endpoint -> endpoint.models()
                        .forEach(model -> entries.add(new ChatCompletions.ModelEntry(
                                endpoint.id() + "/" + model, "model", created, endpoint.id()))));
        return new ChatCompletions.ModelList("list", entries);
    }

    private void complete(RoutingContext context) {
        CompletionRequests.Parsed request;
        UUID tenantId;
        try {
            tenantId = V1Callers.tenantOfJsonCall(context);
            request = requests.parse(context.body().buffer());
        } catch (Refusal refusal) {
            responses.refuse(context, refusal);
            return;
        }
        Optional<V1Callers.Known> remembered = callers.remembered(tenantId);
        try {
            if (remembered.isPresent()) {
                ModelPolicy policy = requests.policyFor(
                        remembered.get().policy(), request.request().model());
                requests.checkCapabilities(policy, request.request());
                if (!catalog.answersFromKnowledge(policy)) {
                    responses.answer(
                            context,
                            CompletionRequests.prepared(remembered.get().tenant(), policy, request, Grounding.none()));
                    return;
                }
            }
        } catch (RuntimeException refused) {
            responses.failed(context, null, "request", refused);
            return;
        }
        context.vertx()
                .executeBlocking(
                        () -> {
                            V1Callers.Known caller = callers.load(tenantId);
                            TenantSettings tenant = caller.tenant();
                            ModelPolicy policy = requests.policyFor(
                                    caller.policy(), request.request().model());
                            requests.checkCapabilities(policy, request.request());
                            Grounding grounding = catalog.answersFromKnowledge(policy)
                                    ? TenantScope.call(
                                            tenant.id(),
                                            () -> retrieval.ground(
                                                    OpenAiShapes.lastUser(
                                                            request.request().messages()),
                                                    tenant.minAnswerConfidence(),
                                                    GROUNDING_PASSAGES))
                                    : Grounding.none();
                            return CompletionRequests.prepared(tenant, policy, request, grounding);
                        },
                        false)
                .onSuccess(prepared -> responses.answer(context, prepared))
                .onFailure(error -> responses.failed(context, null, "request", error));
    }
}
