package io.switchboard.action;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes that wait for the customer: {@link #offer} keeps a prepared call (validated arguments,
 * the platform's summary, the verified customer, the conversation) for
 * {@link ActionsConfig#confirmationTtl()}, and {@link #decide} takes the customer's answer. The
 * stored decision moves once, in one conditional update, so a call is made at most once whatever
 * the customer (or anyone with their token) sends. Offers and decisions are recorded with the
 * action's calls and metered.
 */
@ApplicationScoped
public class ActionConfirmations {

    private final ActionService actions;
    private final PendingActionRepository pending;
    private final ActionsConfig config;
    private final MeterRegistry metrics;

    ActionConfirmations(
            ActionService actions, PendingActionRepository pending, ActionsConfig config, MeterRegistry metrics) {
        this.actions = actions;
        this.pending = pending;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Keeps a prepared write for the customer to confirm or decline within
     * {@link ActionsConfig#confirmationTtl()}; recorded as {@code pending}. Returns what the customer is shown.
     */
    public PendingAction offer(PreparedCall call) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        TenantScope.run(
                call.tenantId(),
                () -> QuarkusTransaction.requiringNew()
                        .run(() -> pending.insert(id, call, now, now.plus(config.confirmationTtl()))));
        actions.record(
                call.tenantId(),
                call.conversationId(),
                call.actionId(),
                call.arguments(),
                ActionOutcome.refused(
                        call.actionName(), ActionOutcome.Kind.PENDING, "waits for the customer to confirm it"));
        return new PendingAction(id, call.actionName(), call.summary());
    }

    /** The writes of the conversation still waiting for the customer, oldest first, to show again after a reload. */
    public List<PendingAction> waitingIn(UUID tenantId, UUID conversationId) {
        Instant now = Instant.now();
        return ActionService.inTenant(
                tenantId,
                () -> pending.inConversation(conversationId).stream()
                        .filter(stored -> stored.state().equals("pending") && !stored.expired(now))
                        .map(stored -> new PendingAction(
                                stored.id(),
                                stored.call().actionName(),
                                stored.call().summary()))
                        .toList());
    }

    /** What the customer decided on a pending action, and what came of it. */
    public record Decision(PendingAction action, String arguments, ActionOutcome outcome) {}

    /**
     * The customer confirms (the call is made, once) or declines (recorded, nothing is called) a
     * pending action of their conversation. Only the first decision counts: a pending action
     * already decided is a conflict, one past its time has expired (recorded so), and another
     * conversation's is not found.
     */
    public Decision decide(UUID tenantId, UUID conversationId, UUID pendingId, boolean confirmed) {
        Instant now = Instant.now();
        ActionOutcome.Kind decided = confirmed ? ActionOutcome.Kind.CONFIRMED : ActionOutcome.Kind.DECLINED;
        Claim claim = TenantScope.call(
                tenantId,
                () -> QuarkusTransaction.requiringNew().call(() -> {
                    if (pending.decide(conversationId, pendingId, decided.id(), now)) {
                        return new Claim(pending.find(conversationId, pendingId).orElseThrow(), decided);
                    }
                    Optional<PendingActionRepository.Stored> stored = pending.find(conversationId, pendingId);
                    if (stored.isEmpty()) {
                        throw ProblemException.notFound("Pending action");
                    }
                    boolean expiresNow = stored.get().expired(now)
                            && pending.decide(conversationId, pendingId, ActionOutcome.Kind.EXPIRED.id(), now);
                    return new Claim(stored.get(), expiresNow ? ActionOutcome.Kind.EXPIRED : null);
                }));
        PreparedCall call = claim.stored().call();
        if (claim.moved() != null) {
            actions.record(
                    tenantId,
                    conversationId,
                    call.actionId(),
                    call.arguments(),
                    ActionOutcome.refused(call.actionName(), claim.moved(), DECIDED.get(claim.moved())));
            metrics.counter(
                            "switchboard.actions.confirmations",
                            "tenant",
                            tenantId.toString(),
                            "action",
                            call.actionName(),
                            "decision",
                            claim.moved().id())
                    .increment();
        }
        if (claim.moved() != decided) {
            throw claim.stored().expired(now)
                    ? new ProblemException(
                            ProblemType.ACTION_EXPIRED,
                            "The customer did not decide on this action in time; ask for it again")
                    : new ProblemException(
                            ProblemType.ACTION_ALREADY_DECIDED,
                            "This action was already " + claim.stored().state() + "; a decision counts once");
        }
        PendingAction action = new PendingAction(pendingId, call.actionName(), call.summary());
        ActionOutcome outcome = confirmed
                ? actions.execute(call)
                : ActionOutcome.refused(
                        call.actionName(),
                        ActionOutcome.Kind.DECLINED,
                        "the customer declined: it was NOT done, and is not to be done unless they ask again");
        return new Decision(action, call.arguments().toString(), outcome);
    }

    /** What the record of a pending action's decision says, by the state it moved to. */
    private static final Map<ActionOutcome.Kind, String> DECIDED = Map.of(
            ActionOutcome.Kind.CONFIRMED, "the customer confirmed it",
            ActionOutcome.Kind.DECLINED, "the customer declined it",
            ActionOutcome.Kind.EXPIRED, "the customer did not decide in time");

    /** The stored pending action as a decision found it, and the state the decision moved it to (null: none). */
    private record Claim(PendingActionRepository.Stored stored, ActionOutcome.Kind moved) {}
}
