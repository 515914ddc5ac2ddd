package io.switchboard.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.switchboard.knowledge.Embedder;
import io.switchboard.model.ModelCapabilities;
import io.switchboard.model.ModelCatalog;
import io.switchboard.model.ModelEmbeddings;
import io.switchboard.model.ModelFailure;
import io.switchboard.model.ModelRef;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /v1/embeddings} for a tenant's own scripts (a RAG pipeline's indexing and queries),
 * so they need no second provider. Model {@value Embedder#MODEL_NAME} is the platform's
 * in-process all-MiniLM-L6-v2 (384 dimensions, unit length), always available; {@code
 * <endpoint>/<model>} is a model of an endpoint the tenant may use under its policy (allowed
 * endpoints, residency), to which the body goes as the client sent it but for {@code model}. A
 * model whose probe found it does not embed is refused here, as the chat route refuses a model
 * lacking a capability; one never probed for it is asked, and should its server refuse, the client
 * gets that refusal. Both are metered, rate-limited and budgeted like chat completions
 * ({@link ModelEmbeddings}).
 *
 * <p>Like {@link ChatCompletionsRoute}, a call runs on the event loop that received it; only what
 * may read the database (tenant settings not in memory) and the in-process model's inference run
 * on a worker.
 */
@ApplicationScoped
public class EmbeddingsRoute {

    private static final ModelRef IN_PROCESS = new ModelRef(ModelCatalog.BUILTIN_ENDPOINT, Embedder.MODEL_NAME);

    private final V1Callers callers;
    private final CompletionRequests completions;
    private final EmbeddingRequests requests;
    private final CompletionResponses responses;
    private final ModelEmbeddings embeddings;
    private final ModelCapabilities capabilities;
    private final Embedder embedder;
    private final ObjectMapper json;
    private final long maxBodyBytes;

    public EmbeddingsRoute(
            V1Callers callers,
            CompletionRequests completions,
            EmbeddingRequests requests,
            CompletionResponses responses,
            ModelEmbeddings embeddings,
            ModelCapabilities capabilities,
            Embedder embedder,
            ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.callers = callers;
        this.completions = completions;
        this.requests = requests;
        this.responses = responses;
        this.embeddings = embeddings;
        this.capabilities = capabilities;
        this.embedder = embedder;
        this.json = json;
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.post("/v1/embeddings")
                .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(this::embed);
    }

    private void embed(RoutingContext context) {
        UUID tenantId;
        EmbeddingRequests.Parsed request;
        try {
            tenantId = V1Callers.tenantOfJsonCall(context);
            request = requests.parse(context.body().buffer());
        } catch (Refusal refusal) {
            responses.refuse(context, refusal);
            return;
        }
        Optional<V1Callers.Known> remembered = callers.remembered(tenantId);
        if (remembered.isPresent()) {
            answer(context, remembered.get(), request);
            return;
        }
        context.vertx()
                .executeBlocking(() -> callers.load(tenantId), false)
                .onSuccess(caller -> answer(context, caller, request))
                .onFailure(error -> failed(context, null, request, error));
    }

    private void answer(RoutingContext context, V1Callers.Known caller, EmbeddingRequests.Parsed request) {
        CompletableFuture<byte[]> answer;
        try {
            answer = request.model().equals(Embedder.MODEL_NAME)
                    ? inProcess(context, caller, request)
                    : forwarded(caller, request);
        } catch (RuntimeException refused) {
            failed(context, caller, request, refused);
            return;
        }
        answer.whenComplete((body, error) -> {
            if (error != null) {
                failed(context, caller, request, error);
            } else {
                CompletionResponses.sendJson(context, 200, body);
            }
        });
    }

    /**
     * The in-process model reads text, in its own 384 dimensions: token ids of another tokenizer
     * would be noise to it, and cut vectors of a model not trained for it lose what made them
     * useful, so both are refused rather than answered badly.
     */
    private CompletableFuture<byte[]> inProcess(
            RoutingContext context, V1Callers.Known caller, EmbeddingRequests.Parsed request) {
        if (request.texts() == null) {
            throw Refusal.invalid(
                    "The model `" + Embedder.MODEL_NAME + "` reads text, not token ids: send 'input' as a string or"
                            + " an array of strings (LangChain's OpenAIEmbeddings: check_embedding_ctx_length=False)",
                    "input",
                    "invalid_value");
        }
        if (request.dimensions() != null && request.dimensions() != Embedder.DIMENSIONS) {
            throw Refusal.invalid(
                    "The model `" + Embedder.MODEL_NAME + "` gives vectors of " + Embedder.DIMENSIONS
                            + " dimensions only; omit 'dimensions' or send " + Embedder.DIMENSIONS,
                    "dimensions",
                    "invalid_value");
        }
        for (int i = 0; i < request.texts().size(); i++) {
            if (request.texts().get(i).isBlank()) {
                throw unreadable("'input[" + i + "]' holds only whitespace");
            }
        }
        return embeddings
                .<Embedder.Embedded>call(
                        IN_PROCESS,
                        caller.policy().policy(),
                        caller.tenant().id(),
                        caller.tenant().slug(),
                        () -> context.vertx()
                                .executeBlocking(() -> embedInProcess(request.texts()), false)
                                .toCompletionStage()
                                .toCompletableFuture())
                .thenApply(embedded -> EmbeddingList.write(
                        Embedder.MODEL_NAME, embedded.vectors(), embedded.tokens(), request.base64()));
    }

    /** On a worker: the inference takes the CPU for a while. */
    private ModelEmbeddings.Embedded<Embedder.Embedded> embedInProcess(List<String> texts) {
        Embedder.Embedded embedded;
        try {
            embedded = embedder.embedCounted(texts);
        } catch (IllegalArgumentException noTokens) {
            // The tokenizer left nothing of an input: control characters only, say.
            throw unreadable("An input holds no text");
        }
        return new ModelEmbeddings.Embedded<>(embedded, embedded.tokens(), false);
    }

    private static Refusal unreadable(String what) {
        return Refusal.invalid(
                what + "; the model `" + Embedder.MODEL_NAME + "` embeds text", "input", "invalid_value");
    }

    /** A model of an endpoint the tenant may use, named {@code <endpoint>/<model>}: asked with the caller's body. */
    private CompletableFuture<byte[]> forwarded(V1Callers.Known caller, EmbeddingRequests.Parsed request) {
        if (request.model().equals(CompletionRequests.DEFAULT_MODEL)) {
            throw new Refusal(
                    404,
                    "The model `default` is the tenant's chat policy, not an embedding model; use `"
                            + Embedder.MODEL_NAME + "` or `<endpoint>/<model>` (see GET /v1/models)",
                    "invalid_request_error",
                    "model_not_found");
        }
        ModelRef model = completions.policyFor(caller.policy(), request.model()).primary();
        if (!capabilities.of(model).allowsEmbeddings()) {
            throw doesNotEmbed(request);
        }
        ObjectNode body = request.body().deepCopy();
        body.put("model", model.model());
        return embeddings
                .forward(
                        model,
                        caller.policy().policy(),
                        caller.tenant().id(),
                        caller.tenant().slug(),
                        CompletionResponses.toJson(json, body),
                        request.estimatedTokens())
                .thenApply(answer -> ModelRename.rename(answer, request.model()));
    }

    private static Refusal doesNotEmbed(EmbeddingRequests.Parsed request) {
        return Refusal.notSupported(
                "The model `" + request.model() + "` does not embed; choose a model that does (GET /v1/models)",
                "model");
    }

    private void failed(
            RoutingContext context, V1Callers.Known caller, EmbeddingRequests.Parsed request, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ModelFailure failure && failure.reason() == ModelFailure.Reason.NOT_CONFIGURED) {
            responses.refuse(context, doesNotEmbed(request));
        } else {
            // Only a model call fails with a ModelFailure, and by then the caller is known.
            responses.failed(context, caller == null ? null : caller.tenant().slug(), "embeddings", cause);
        }
    }
}
