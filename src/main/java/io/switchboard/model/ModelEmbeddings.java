package io.switchboard.model;

import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Embedding calls of a tenant, held to the rules of its chat calls ({@link TenantModelCalls}):
 * each takes one of the tenant's concurrent model calls (the limit {@code /v1} shares with chat
 * completions), runs only while the month's budget is not spent, and is metered per tenant and
 * model (input tokens, priced as the catalogue prices the model) into the same usage report.
 * There is no fallback: another model's vectors cannot stand in for the ones asked for, so a spent
 * budget refuses the call even when the policy would degrade a chat turn.
 */
@Singleton
public class ModelEmbeddings {

    /** What a call made and the input tokens it took; {@code estimated} when the model counted none. */
    public record Embedded<T>(T vectors, int inputTokens, boolean estimated) {}

    private final ModelCatalog catalog;
    private final TenantModelCalls calls;
    private final ModelMetering metering;

    ModelEmbeddings(ModelCatalog catalog, TenantModelCalls calls, ModelMetering metering) {
        this.catalog = catalog;
        this.calls = calls;
        this.metering = metering;
    }

    /**
     * Runs {@code work} as one embedding call of the tenant on {@code model}, under the budget of
     * the tenant's policy (its models play no part), and meters what it used. Completes with the
     * vectors, or with a {@link ModelFailure}: {@code TENANT_BUSY}, {@code BUDGET_EXCEEDED} or the
     * work's own.
     */
    public <T> CompletableFuture<T> call(
            ModelRef model,
            ModelPolicy policy,
            UUID tenantId,
            String tenant,
            Supplier<CompletableFuture<Embedded<T>>> work) {
        ModelPolicy alone =
                new ModelPolicy(model, List.of(), policy.budget(), policy.residency(), policy.openConversations());
        return calls.run(alone, tenantId, tenant, allowed -> work.get()).thenApply(result -> {
            meter(tenantId, tenant, model, result);
            return result.vectors();
        });
    }

    /**
     * Sends an OpenAI embeddings body ({@code model} already the endpoint's own name) to the
     * model's endpoint, as one {@link #call}; completes with the server's answer as it came. Input
     * tokens are the server's count, or {@code estimatedTokens} when its answer has none. An
     * endpoint whose provider does not embed fails with {@code NOT_CONFIGURED}.
     */
    public CompletableFuture<byte[]> forward(
            ModelRef model, ModelPolicy policy, UUID tenantId, String tenant, byte[] body, int estimatedTokens) {
        return call(model, policy, tenantId, tenant, () -> {
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
        metering.record(
                tenantId,
                tenant,
                model,
                ModelRequest.Source.API,
                new ModelService.Usage(tokens, 0, embedded.estimated(), cost));
    }
}
