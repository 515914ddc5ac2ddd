package io.switchboard.model;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.switchboard.platform.InFlightWork;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Embedding calls of a tenant, held to the rules of its chat calls: each takes one of the tenant's
 * concurrent model calls (the limit {@code /v1} shares with chat completions), runs only while
 * the month's budget is not spent, and is metered per tenant and model (input tokens, priced as
 * the catalogue prices the model) into the same usage report. There is no fallback: another
 * model's vectors cannot stand in for the ones asked for, so a spent budget refuses the call
 * even when the policy would degrade a chat turn.
 */
@Singleton
public class ModelEmbeddings {

    /** What a call made and the input tokens it took; {@code estimated} when the model counted none. */
    public record Embedded<T>(T vectors, int inputTokens, boolean estimated) {}

    private final ModelCatalog catalog;
    private final ModelGuards guards;
    private final BudgetGuard budgets;
    private final UsageMeter meter;
    private final MeterRegistry metrics;
    private final InFlightWork inFlight;
    private final ModelConfig config;

    ModelEmbeddings(
            ModelCatalog catalog,
            ModelGuards guards,
            BudgetGuard budgets,
            UsageMeter meter,
            MeterRegistry metrics,
            InFlightWork inFlight,
            ModelConfig config) {
        this.catalog = catalog;
        this.guards = guards;
        this.budgets = budgets;
        this.meter = meter;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.config = config;
    }

    /**
     * Runs {@code work} as one embedding call of the tenant on the policy's primary model (its
     * fallbacks play no part) and meters what it used. Completes with the vectors, or with a
     * {@link ModelFailure}: {@code TENANT_BUSY}, {@code BUDGET_EXCEEDED} or the work's own. Started
     * on an event loop, the work starts there too, even when the budget was read elsewhere.
     */
    public <T> CompletableFuture<T> call(
            ModelPolicy policy, UUID tenantId, String tenant, Supplier<CompletableFuture<Embedded<T>>> work) {
        ModelRef model = policy.primary();
        Optional<Runnable> share = guards.tenantShare(tenantId);
        if (share.isEmpty()) {
            return CompletableFuture.failedFuture(new ModelFailure(
                    ModelFailure.Reason.TENANT_BUSY,
                    "The tenant already has " + config.tenantConcurrency() + " model calls in flight"));
        }
        Runnable finished = inFlight.begin();
        ModelPolicy alone =
                new ModelPolicy(model, List.of(), policy.budget(), policy.residency(), policy.openConversations());
        CompletableFuture<List<ModelRef>> allowed = budgets.candidatesFor(alone, tenantId, tenant);
        Function<List<ModelRef>, CompletableFuture<Embedded<T>>> start = ignored -> work.get();
        Context loop = Vertx.currentContext();
        CompletableFuture<Embedded<T>> embedded = allowed.isDone() || loop == null
                ? allowed.thenCompose(start)
                : allowed.thenComposeAsync(start, task -> loop.runOnContext(ignored -> task.run()));
        return embedded.whenComplete((ignored, failure) -> {
                    share.get().run();
                    finished.run();
                })
                .thenApply(result -> {
                    meter(tenantId, tenant, model, result);
                    return result.vectors();
                });
    }

    /**
     * Sends an OpenAI embeddings body ({@code model} already the endpoint's own name) to the
     * endpoint of the policy's primary model, as one {@link #call}; completes with the server's
     * answer as it came. Input tokens are the server's count, or {@code estimatedTokens} when its
     * answer has none. An endpoint whose provider does not embed fails with {@code NOT_CONFIGURED}.
     */
    public CompletableFuture<byte[]> forward(
            ModelPolicy policy, UUID tenantId, String tenant, byte[] body, int estimatedTokens) {
        ModelRef model = policy.primary();
        return call(policy, tenantId, tenant, () -> {
            Optional<ModelEndpoint> endpoint = catalog.endpoint(model.endpoint());
            if (endpoint.isEmpty()) {
                return CompletableFuture.failedFuture(new ModelFailure(
                        ModelFailure.Reason.NOT_CONFIGURED, "Model " + model + " is not in the catalogue"));
            }
            return catalog.provider(endpoint.get())
                    .embeddings(body)
                    .thenApply(answer -> new Embedded<>(
                            answer.body(),
                            answer.promptTokens() == null ? estimatedTokens : answer.promptTokens(),
                            answer.promptTokens() == null));
        });
    }

    private void meter(UUID tenantId, String tenant, ModelRef model, Embedded<?> embedded) {
        int tokens = embedded.inputTokens();
        BigDecimal cost = catalog.endpoint(model.endpoint())
                .map(endpoint -> endpoint.cost(model.model(), tokens, 0))
                .orElse(BigDecimal.ZERO);
        meter.record(
                tenantId,
                model,
                ModelRequest.Source.API,
                new ModelService.Usage(tokens, 0, embedded.estimated(), cost));
        Tags tags = Tags.of("tenant", tenant, "endpoint", model.endpoint(), "model", model.model());
        metrics.counter("switchboard.model.tokens", tags.and("direction", "input"))
                .increment(tokens);
        metrics.counter("switchboard.model.cost.usd", tags).increment(cost.doubleValue());
    }
}
