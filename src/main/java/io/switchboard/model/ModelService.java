package io.switchboard.model;

import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import io.switchboard.model.ModelProvider.TokenSink;
import io.switchboard.platform.InFlightWork;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Asks a tenant's models for an answer: the primary first, then each fallback, as long as no
 * text has reached the customer yet (a half-streamed answer is never restarted elsewhere), and
 * meters what each answer used.
 */
@ApplicationScoped
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
    }

    private final ModelCatalog catalog;
    private final ModelGuards guards;
    private final BudgetGuard budgets;
    private final UsageMeter meter;
    private final MeterRegistry metrics;
    private final InFlightWork inFlight;

    public ModelService(ModelCatalog catalog, ModelGuards guards, BudgetGuard budgets, UsageMeter meter, MeterRegistry metrics,
            InFlightWork inFlight) {
        this.inFlight = inFlight;
        this.catalog = catalog;
        this.guards = guards;
        this.budgets = budgets;
        this.meter = meter;
        this.metrics = metrics;
    }

    /**
     * Answers within the tenant's share of concurrent model calls and its budget; each endpoint
     * is called through its circuit breaker, so an endpoint that keeps failing is skipped at once.
     */
    public Answer chat(ModelPolicy policy, ModelRequest request, TokenSink sink) throws ModelFailure {
        return inFlight.track(() -> guards.withinTenantShare(request.tenantId(), Answer.class,
                () -> firstAnswer(budgets.candidates(policy, request), policy.residency(), request, sink)));
    }

    private Answer firstAnswer(List<ModelRef> candidates, ModelPolicy.Residency residency, ModelRequest request, TokenSink sink)
            throws ModelFailure {
        ModelFailure last = new ModelFailure(ModelFailure.Reason.NOT_CONFIGURED, "No model in the policy");
        AtomicBoolean streamed = new AtomicBoolean();
        AtomicBoolean listening = new AtomicBoolean(true);
        TokenSink tracking = fragment -> {
            streamed.set(true);
            if (listening.get()) {
                try {
                    sink.accept(fragment);
                } catch (RuntimeException customerGone) {
                    // The customer's channel failed: keep generating so the reply is still stored for them.
                    listening.set(false);
                }
            }
        };
        for (ModelRef candidate : candidates) {
            ModelEndpoint endpoint = catalog.endpoint(candidate.endpoint()).orElse(null);
            if (endpoint == null || !endpoint.serves(candidate.model())) {
                last = new ModelFailure(ModelFailure.Reason.NOT_CONFIGURED, "Model " + candidate + " is not in the catalogue");
                countFailure(request, candidate, last);
                continue;
            }
            if (residency == ModelPolicy.Residency.SELF_HOSTED && !endpoint.selfHosted()) {
                // Residency is a promise about where data goes: no fallback may break it.
                last = new ModelFailure(ModelFailure.Reason.NOT_CONFIGURED, "Model " + candidate + " is hosted; the residency is self-hosted");
                countFailure(request, candidate, last);
                continue;
            }
            try {
                ModelProvider provider = catalog.provider(endpoint);
                ModelRequest forCandidate = request.withModel(candidate.model());
                ModelReply reply = guards.throughCircuit(candidate, () -> provider.chat(forCandidate, tracking));
                metrics.timer("switchboard.model.ttft", "tenant", request.tenant(), "endpoint", candidate.endpoint())
                        .record(java.time.Duration.ofMillis(reply.timeToFirstTokenMillis()));
                Usage usage = meter(endpoint, candidate, request, reply);
                return new Answer(candidate, endpoint.providerId(), reply, usage);
            } catch (ModelFailure failure) {
                last = failure;
                countFailure(request, candidate, failure);
                if (streamed.get()) {
                    break;
                }
            }
        }
        throw last;
    }

    private Usage meter(ModelEndpoint endpoint, ModelRef model, ModelRequest request, ModelReply reply) {
        if (ModelCatalog.BUILTIN_ENDPOINT.equals(endpoint.id())) {
            return Usage.NONE;
        }
        boolean estimated = reply.inputTokens() == null || reply.outputTokens() == null;
        int input = reply.inputTokens() != null ? reply.inputTokens()
                : Tokens.estimate(request.messages().stream().map(ModelRequest.Turn::text).collect(java.util.stream.Collectors.joining()));
        int output = reply.outputTokens() != null ? reply.outputTokens() : Tokens.estimate(reply.text());
        BigDecimal cost = endpoint.cost(model.model(), input, output);
        String[] tags = {"tenant", request.tenant(), "endpoint", model.endpoint(), "model", model.model()};
        metrics.counter("switchboard.model.tokens", concat(tags, "direction", "input")).increment(input);
        metrics.counter("switchboard.model.tokens", concat(tags, "direction", "output")).increment(output);
        metrics.counter("switchboard.model.cost.usd", tags).increment(cost.doubleValue());
        Usage usage = new Usage(input, output, estimated, cost);
        meter.record(request.tenantId(), model, request.source(), usage);
        return usage;
    }

    private static String[] concat(String[] tags, String key, String value) {
        String[] all = java.util.Arrays.copyOf(tags, tags.length + 2);
        all[tags.length] = key;
        all[tags.length + 1] = value;
        return all;
    }

    private void countFailure(ModelRequest request, ModelRef model, ModelFailure failure) {
        LOG.warnf("Model %s failed: %s (%s)", model, failure.reason().tag(), failure.getMessage());
        metrics.counter("switchboard.model.failures", "tenant", request.tenant(), "endpoint", model.endpoint(),
                "reason", failure.reason().tag()).increment();
    }
}
