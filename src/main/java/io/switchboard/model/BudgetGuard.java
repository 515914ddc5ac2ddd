package io.switchboard.model;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.events.EventType;
import io.switchboard.events.Outbox;
import io.switchboard.platform.TenantScope;
import io.vertx.core.Context;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Keeps a tenant within its monthly budget: once this month's metered spending reaches it, a
 * turn degrades to the policy's fallbacks that cost less than the primary, cheapest first, or
 * hands off when the policy says so. The first crossing each month is logged and evented once.
 */
@Singleton
class BudgetGuard {

    private static final Logger LOG = Logger.getLogger(BudgetGuard.class);

    /** The event's data. */
    record Exceeded(String month, BigDecimal budgetUsd, BigDecimal spentUsd, String onExceeded) {}

    /**
     * Where an event-loop caller's budget check reads the database: virtual threads, not the worker
     * pool, whose threads may all be waiting for model answers that wait for this check.
     */
    private static final ExecutorService SPENDING_READS = Executors.newVirtualThreadPerTaskExecutor();

    private final UsageMeter meter;
    private final ModelCatalog catalog;
    private final Outbox outbox;
    private final BudgetExceededRepository crossings;
    private final MeterRegistry metrics;
    /** Tenant-months this replica already recorded, so only the first over-budget turn writes. */
    private final Set<String> recorded = ConcurrentHashMap.newKeySet();

    BudgetGuard(
            UsageMeter meter,
            ModelCatalog catalog,
            Outbox outbox,
            BudgetExceededRepository crossings,
            MeterRegistry metrics) {
        this.meter = meter;
        this.catalog = catalog;
        this.outbox = outbox;
        this.crossings = crossings;
        this.metrics = metrics;
    }

    /**
     * The models to try for this call (a chat turn or an embedding), in order, given what the tenant
     * has spent; {@code tenant} is the slug, for logs and metrics. Answered at once when the spending
     * is known in memory and within the budget; otherwise worked out on a virtual thread when the
     * caller is an event loop, because it reads (and, the first time a month, writes) the database.
     */
    CompletableFuture<List<ModelRef>> candidatesFor(ModelPolicy policy, UUID tenantId, String tenant) {
        ModelPolicy.Budget budget = policy.budget();
        boolean withinKnownSpend = budget == null
                || meter.recentSpendThisMonth(tenantId)
                        .filter(spent -> spent.compareTo(budget.monthlyUsd()) < 0)
                        .isPresent();
        if (withinKnownSpend) {
            return CompletableFuture.completedFuture(policy.candidates());
        }
        if (!Context.isOnEventLoopThread()) {
            return candidatesNow(policy, tenantId, tenant);
        }
        return CompletableFuture.supplyAsync(() -> candidatesNow(policy, tenantId, tenant), SPENDING_READS)
                .thenCompose(candidates -> candidates);
    }

    private CompletableFuture<List<ModelRef>> candidatesNow(ModelPolicy policy, UUID tenantId, String tenant) {
        try {
            return CompletableFuture.completedFuture(candidates(policy, tenantId, tenant));
        } catch (ModelFailure failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    private List<ModelRef> candidates(ModelPolicy policy, UUID tenantId, String tenant) throws ModelFailure {
        ModelPolicy.Budget budget = policy.budget();
        if (budget == null) {
            return policy.candidates();
        }
        BigDecimal spent;
        try {
            spent = meter.spentThisMonth(tenantId);
        } catch (IllegalStateException unreadable) {
            // Metering's database is unreachable: answering beats failing the customer over a budget check.
            LOG.warnf(
                    "The month's spending could not be read; the turn runs as within budget: %s",
                    unreadable.getMessage());
            return policy.candidates();
        }
        if (spent.compareTo(budget.monthlyUsd()) < 0) {
            return policy.candidates();
        }
        noteExceeded(tenantId, tenant, budget, spent);
        metrics.counter(
                        "switchboard.model.budget.exceeded.turns",
                        "tenant",
                        tenant,
                        "action",
                        budget.onExceeded().id())
                .increment();
        List<ModelRef> cheaper = catalog.cheaperFallbacks(policy);
        if (budget.onExceeded() == ModelPolicy.OnExceeded.HANDOFF || cheaper.isEmpty()) {
            throw new ModelFailure(
                    ModelFailure.Reason.BUDGET_EXCEEDED,
                    "The monthly budget of " + budget.monthlyUsd() + " USD is spent");
        }
        return cheaper;
    }

    private void noteExceeded(UUID tenantId, String tenant, ModelPolicy.Budget budget, BigDecimal spent) {
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        if (!recorded.add(tenantId + "/" + month)) {
            return;
        }
        boolean first = TenantScope.call(
                tenantId,
                () -> QuarkusTransaction.requiringNew().call(() -> {
                    boolean inserted = crossings.recordFirst(
                            tenantId,
                            month,
                            budget.monthlyUsd(),
                            budget.onExceeded().id());
                    if (inserted) {
                        outbox.record(
                                EventType.BUDGET_EXCEEDED,
                                tenantId,
                                tenantId.toString(),
                                new Exceeded(
                                        month.toString().substring(0, 7),
                                        budget.monthlyUsd(),
                                        spent,
                                        budget.onExceeded().id()));
                    }
                    return inserted;
                }));
        if (first) {
            LOG.warnf(
                    "Tenant %s spent %s USD of its %s USD monthly budget; turns now %s",
                    tenant,
                    spent,
                    budget.monthlyUsd(),
                    budget.onExceeded() == ModelPolicy.OnExceeded.DEGRADE ? "use cheaper fallbacks" : "hand off");
        }
    }
}
