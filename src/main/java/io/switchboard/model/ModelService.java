package io.switchboard.model;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.model.ModelProvider.TokenSink;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Asks a tenant's models for an answer: the primary first, then each fallback, as long as no
 * text has reached the customer yet (a half-streamed answer is never restarted elsewhere), and
 * meters what each answer used.
 */
@Singleton
public class ModelService {

    private static final Logger LOG = Logger.getLogger(ModelService.class);

    /** The answer, which model gave it, and what it used and cost. */
    public record Answer(ModelRef model, String provider, ModelReply reply, Usage usage) {

        public Answer withReply(ModelReply changed) {
            return new Answer(model, provider, changed, usage);
        }
    }

    /** Metered tokens (estimated when the server reported none) and their cost from the catalogue prices. */
    public record Usage(Integer inputTokens, Integer outputTokens, boolean estimated, BigDecimal costUsd) {

        static final Usage NONE = new Usage(null, null, false, BigDecimal.ZERO);

        /** Input tokens, 0 when the call counted none. */
        public int inputTokensOrZero() {
            return inputTokens == null ? 0 : inputTokens;
        }

        /** Output tokens, 0 when the call counted none. */
        public int outputTokensOrZero() {
            return outputTokens == null ? 0 : outputTokens;
        }

        /** Input and output tokens together, what the consumption limits count. */
        public long totalTokens() {
            return (long) inputTokensOrZero() + outputTokensOrZero();
        }
    }

    private final ModelCatalog catalog;
    private final ModelCapabilities capabilities;
    private final ModelGuards guards;
    private final TenantModelCalls calls;
    private final ModelMetering metering;
    private final MeterRegistry metrics;
    private final Vertx vertx;

    public ModelService(
            ModelCatalog catalog,
            ModelCapabilities capabilities,
            ModelGuards guards,
            TenantModelCalls calls,
            ModelMetering metering,
            MeterRegistry metrics,
            Vertx vertx) {
        this.vertx = vertx;
        this.catalog = catalog;
        this.capabilities = capabilities;
        this.guards = guards;
        this.calls = calls;
        this.metering = metering;
        this.metrics = metrics;
    }

    /**
     * Whether any model of the policy may be offered tools. A model that may not (the built-in
     * retrieval answerer, an in-process model, a model whose probe found it calls none) is asked
     * without the request's tools and answers in text; when none may, a caller need not build any.
     */
    public boolean callsTools(ModelPolicy policy) {
        return policy.candidates().stream().anyMatch(this::callsTools);
    }

    private boolean callsTools(ModelRef model) {
        return capabilities.of(model).allows(Capabilities.Need.TOOLS);
    }

    /**
     * Answers within the tenant's share of concurrent model calls and its budget; each endpoint
     * is called through its circuit breaker, so an endpoint that keeps failing is skipped at once.
     * For worker threads: waits, and gives the fragments to the sink on this thread.
     */
    public Answer chat(ModelPolicy policy, ModelRequest request, TokenSink sink) throws ModelFailure {
        return BlockingStream.await(sink, relay -> EventLoops.start(vertx, () -> answer(policy, request, relay)));
    }

    /**
     * The same without waiting, for event-loop callers only: completes with the answer or a
     * {@link ModelFailure}. Fragments reach the sink on the provider's threads (the event loop of an
     * HTTP endpoint), so it must not block.
     */
    public CompletableFuture<Answer> answer(ModelPolicy policy, ModelRequest request, TokenSink sink) {
        Attempts attempts = new Attempts(request, policy.residency(), sink);
        return calls.run(policy, request.tenantId(), request.tenant(), candidates -> {
            attempts.candidates = candidates.iterator();
            attempts.next();
            return attempts.result;
        });
    }

    /** The candidates of one turn, tried in order until one answers or one has streamed text. */
    private final class Attempts {

        final CompletableFuture<Answer> result = new CompletableFuture<>();
        final ModelRequest request;
        final ModelPolicy.Residency residency;
        final AtomicBoolean streamed = new AtomicBoolean();
        final TokenSink tracking;
        Iterator<ModelRef> candidates;
        ModelFailure last;

        Attempts(ModelRequest request, ModelPolicy.Residency residency, TokenSink sink) {
            ModelRequest.OpenAiBody openAi = request.openAi();
            // A chunk of the answer forwarded as the server sent it counts as streamed text: no fallback after it.
            this.request = openAi == null || openAi.chunks() == null
                    ? request
                    : request.withOpenAi(openAi.listenedBy(chunk -> {
                        if (chunk.kind() == ModelRequest.ChunkKind.ANSWER) {
                            streamed.set(true);
                        }
                        openAi.chunks().accept(chunk);
                    }));
            this.residency = residency;
            this.tracking = fragment -> {
                streamed.set(true);
                sink.accept(fragment);
            };
        }

        void next() {
            try {
                tryNext();
            } catch (RuntimeException unexpected) {
                // Thrown from a completion callback it would be lost, and the caller would wait for good.
                result.completeExceptionally(unexpected);
            }
        }

        private void tryNext() {
            while (candidates.hasNext()) {
                ModelRef candidate = candidates.next();
                ModelEndpoint endpoint = catalog.endpoint(candidate.endpoint()).orElse(null);
                if (endpoint == null || !endpoint.serves(candidate.model())) {
                    skip(
                            candidate,
                            new ModelFailure(
                                    ModelFailure.Reason.NOT_CONFIGURED,
                                    "Model " + candidate + " is not in the catalogue"));
                    continue;
                }
                if (residency == ModelPolicy.Residency.SELF_HOSTED && !endpoint.selfHosted()) {
                    // Residency is a promise about where data goes: no fallback may break it.
                    skip(
                            candidate,
                            new ModelFailure(
                                    ModelFailure.Reason.NOT_CONFIGURED,
                                    "Model " + candidate + " is hosted; the residency is self-hosted"));
                    continue;
                }
                Set<Capabilities.Need> lacking = capabilities.lacking(candidate, request.needs());
                if (!lacking.isEmpty()) {
                    skip(
                            candidate,
                            new ModelFailure(
                                    ModelFailure.Reason.NOT_CONFIGURED,
                                    "Model " + candidate + " lacks what the request needs: " + lacking));
                    continue;
                }
                ModelProvider provider = catalog.provider(endpoint);
                // Tools are an offer: a model that calls none answers the same request in text.
                ModelRequest forCandidate =
                        (callsTools(candidate) ? request : request.forModelWithoutTools()).withModel(candidate.model());
                guards.throughCircuit(candidate, () -> provider.stream(forCandidate, tracking))
                        .whenComplete((reply, error) -> {
                            if (error == null) {
                                answered(endpoint, candidate, reply);
                                return;
                            }
                            skip(candidate, ModelFailure.from(error));
                            if (streamed.get()) {
                                // Text reached the caller: another model must not start the answer over.
                                result.completeExceptionally(last);
                            } else {
                                next();
                            }
                        });
                return;
            }
            result.completeExceptionally(
                    last != null
                            ? last
                            : new ModelFailure(ModelFailure.Reason.NOT_CONFIGURED, "No model in the policy"));
        }

        private void answered(ModelEndpoint endpoint, ModelRef candidate, ModelReply reply) {
            try {
                if (request.streamed()) {
                    // A whole answer has no first token of its own: its time would read as the model's slowness to
                    // start.
                    metering.timeToFirstToken(request.tenant(), candidate, reply.timeToFirstTokenMillis());
                }
                result.complete(new Answer(
                        candidate, endpoint.providerId(), reply, meter(endpoint, candidate, request, reply)));
            } catch (RuntimeException unexpected) {
                result.completeExceptionally(unexpected);
            }
        }

        private void skip(ModelRef candidate, ModelFailure failure) {
            last = failure;
            countFailure(request, candidate, failure);
        }
    }

    private Usage meter(ModelEndpoint endpoint, ModelRef model, ModelRequest request, ModelReply reply) {
        if (ModelCatalog.BUILTIN_ENDPOINT.equals(endpoint.id())) {
            return Usage.NONE;
        }
        boolean estimated = reply.inputTokens() == null || reply.outputTokens() == null;
        int input = reply.inputTokens() != null
                ? reply.inputTokens()
                : Tokens.estimate(request.messages().stream()
                        .map(turn -> java.util.Objects.toString(turn.text(), "") + written(turn.toolCalls()))
                        .collect(java.util.stream.Collectors.joining()));
        int output = reply.outputTokens() != null
                ? reply.outputTokens()
                : Tokens.estimate(reply.text() + written(reply.toolCalls()));
        Usage usage = new Usage(input, output, estimated, endpoint.cost(model.model(), input, output));
        metering.record(request.tenantId(), request.tenant(), model, request.source(), usage);
        return usage;
    }

    /** What a model wrote to call tools, for estimating its tokens: each function's name and arguments. */
    private static String written(java.util.List<ToolCall> calls) {
        return calls.isEmpty()
                ? ""
                : calls.stream()
                        .map(call -> call.name() + call.arguments())
                        .collect(java.util.stream.Collectors.joining());
    }

    private void countFailure(ModelRequest request, ModelRef model, ModelFailure failure) {
        LOG.warnf("Model %s failed: %s (%s)", model, failure.reason().tag(), failure.getMessage());
        metrics.counter(
                        "switchboard.model.failures",
                        "tenant",
                        request.tenant(),
                        "endpoint",
                        model.endpoint(),
                        "reason",
                        failure.reason().tag())
                .increment();
    }
}
