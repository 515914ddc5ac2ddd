package io.switchboard.model;

import io.switchboard.platform.InFlightWork;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What every model call of a tenant runs within, a chat answer or an embedding: one of the
 * tenant's concurrent model calls (when all are in flight the call fails at once rather than
 * queue behind the tenant's slow model), the replica's count of work in flight (let finish on
 * shutdown), and the month's budget, which says which of the policy's models the call may use.
 */
@Singleton
class TenantModelCalls {

    private final ModelGuards guards;
    private final BudgetGuard budgets;
    private final InFlightWork inFlight;
    private final ModelConfig config;

    TenantModelCalls(ModelGuards guards, BudgetGuard budgets, InFlightWork inFlight, ModelConfig config) {
        this.guards = guards;
        this.budgets = budgets;
        this.inFlight = inFlight;
        this.config = config;
    }

    /**
     * Runs {@code call} with the models the budget allows, holding the tenant's share until it
     * completes. Completes with its result, or with a {@link ModelFailure}: {@code TENANT_BUSY},
     * {@code BUDGET_EXCEEDED} or the call's own. Started on an event loop, the call starts there
     * too, even when the budget was read from the database elsewhere (see {@link EventLoops}).
     */
    <T> CompletableFuture<T> run(
            ModelPolicy policy, UUID tenantId, String tenant, Function<List<ModelRef>, CompletableFuture<T>> call) {
        Optional<Runnable> share = guards.tenantShare(tenantId);
        if (share.isEmpty()) {
            return CompletableFuture.failedFuture(new ModelFailure(
                    ModelFailure.Reason.TENANT_BUSY,
                    "The tenant already has " + config.tenantConcurrency() + " model calls in flight"));
        }
        Runnable finished = inFlight.begin();
        CompletableFuture<List<ModelRef>> candidates = budgets.candidatesFor(policy, tenantId, tenant);
        Context loop = Vertx.currentContext();
        CompletableFuture<T> result = candidates.isDone() || loop == null
                ? candidates.thenCompose(call)
                : candidates.thenComposeAsync(call, task -> loop.runOnContext(ignored -> task.run()));
        result.whenComplete((ignored, failure) -> {
            share.get().run();
            finished.run();
        });
        return result;
    }
}
