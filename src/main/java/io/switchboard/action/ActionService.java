package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs a tenant's actions for the assistant. The platform, not the model, decides who the customer
 * is and whether they may use an action; the model supplies only arguments, which are checked
 * against the action's schema. A call the customer must agree to is split in two:
 * {@link #prepare} (check, write the summary to show) and {@link #offer} (keep it for the customer
 * to decide), then {@link #decide} when they confirm or decline: the stored decision moves once, so
 * a call is made at most once whatever the customer (or an attacker with their token) sends.
 * Every call that names a known action is recorded, with secret-looking values masked, and metered
 * per tenant, action and outcome; logs carry the tenant, the conversation and the outcome, never
 * argument values.
 */
@ApplicationScoped
public class ActionService {

    private static final Logger LOG = Logger.getLogger(ActionService.class);

    private final ActionRepository actions;
    private final ActionCallRepository calls;
    private final ActionClient client;
    private final ActionSchemas schemas;
    private final MeterRegistry metrics;
    private final PendingActionRepository pending;
    private final ActionsConfig config;

    public ActionService(
            ActionRepository actions,
            ActionCallRepository calls,
            ActionClient client,
            ObjectMapper json,
            MeterRegistry metrics,
            PendingActionRepository pending,
            ActionsConfig config) {
        this.actions = actions;
        this.calls = calls;
        this.pending = pending;
        this.config = config;
        this.client = client;
        this.schemas = new ActionSchemas(json);
        this.metrics = metrics;
    }

    /**
     * The tenant's enabled actions as tools for a model, ordered by name; those that need a
     * verified customer only when the customer is one.
     */
    public List<ToolDefinition> tools(UUID tenantId, boolean customerVerified) {
        return inTenant(
                tenantId,
                () -> actions.enabled().stream()
                        .filter(action -> customerVerified || !action.requiresVerifiedCustomer)
                        .map(action ->
                                new ToolDefinition(action.name, action.description, action.parameters.deepCopy()))
                        .toList());
    }

    /**
     * Checks a call the model asked for: the action exists and is enabled, the customer may use
     * it, the arguments fit its schema (unknown ones dropped). A refusal is recorded and metered here.
     *
     * @param verifiedCustomerId the conversation's verified contact, or null for an anonymous customer
     * @param argumentsJson the model's arguments as it sent them (a JSON object as text)
     */
    public Preparation prepare(
            UUID tenantId, UUID conversationId, String verifiedCustomerId, String actionName, String argumentsJson) {
        Optional<Action> found =
                inTenant(tenantId, () -> actions.named(actionName).filter(action -> action.enabled));
        if (found.isEmpty()) {
            ActionOutcome refused = ActionOutcome.refused(
                    actionName, ActionOutcome.Kind.REFUSED, "no enabled action is called '" + actionName + "'");
            meter(tenantId, "unknown", refused);
            return new Preparation.Refused(refused);
        }
        Action action = found.get();
        ActionSchemas.Checked checked = schemas.check(action.parameters, argumentsJson);
        if (action.requiresVerifiedCustomer && verifiedCustomerId == null) {
            return refuse(
                    tenantId,
                    conversationId,
                    action,
                    checked,
                    ActionOutcome.Kind.REFUSED,
                    "the action needs a verified customer; ask the customer to sign in");
        }
        if (checked.refusal() != null) {
            return refuse(
                    tenantId, conversationId, action, checked, ActionOutcome.Kind.INVALID_ARGUMENTS, checked.refusal());
        }
        for (String placeholder : ActionSchemas.placeholders(action.url)) {
            JsonNode value = checked.arguments().get(placeholder);
            if (value == null
                    || value.isNull()
                    || value.isContainerNode()
                    || value.asText().matches("\\.{0,2}")) {
                return refuse(
                        tenantId,
                        conversationId,
                        action,
                        checked,
                        ActionOutcome.Kind.INVALID_ARGUMENTS,
                        "'" + placeholder + "' needs a value (it is part of the URL)");
            }
        }
        return new Preparation.Ready(new PreparedCall(
                tenantId,
                action.id,
                action.name,
                conversationId,
                verifiedCustomerId,
                checked.arguments(),
                ArgumentText.summary(action.name, checked.arguments()),
                action.confirm,
                action.updatedAt));
    }

    /**
     * Makes a prepared call, and records it. Call it for an action that needs confirmation only
     * once the customer agreed. Refused when the action was disabled, deleted or changed since it
     * was prepared: the customer agreed to what they saw then.
     */
    public ActionOutcome execute(PreparedCall call) {
        Optional<Action> current = inTenant(
                call.tenantId(),
                () -> Optional.ofNullable(actions.findById(call.actionId()))
                        .filter(action -> action.tenantId.equals(call.tenantId().toString())));
        if (current.isEmpty()
                || !current.get().enabled
                || !current.get().updatedAt.equals(call.actionVersion())) {
            ActionOutcome refused = ActionOutcome.refused(
                    call.actionName(),
                    ActionOutcome.Kind.REFUSED,
                    "the action was changed, disabled or deleted since the call was prepared");
            meter(call.tenantId(), call.actionName(), refused);
            return refused;
        }
        Action action = current.get();
        ActionOutcome outcome = client.send(
                action.name,
                new ActionClient.Call(
                        action.method,
                        action.url,
                        action.timeoutMs,
                        action.secret,
                        call.arguments(),
                        call.customerId(),
                        call.conversationId()));
        record(call.tenantId(), call.conversationId(), action.id, call.arguments(), outcome);
        return outcome;
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
        record(
                call.tenantId(),
                call.conversationId(),
                call.actionId(),
                call.arguments(),
                ActionOutcome.refused(
                        call.actionName(), ActionOutcome.Kind.PENDING, "waits for the customer to confirm it"));
        return new PendingAction(id, call.actionName(), call.summary());
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
            record(
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
                ? execute(call)
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

    /**
     * {@link #prepare} then {@link #execute}, for an action the customer need not confirm (a
     * lookup); one that needs confirmation is refused here, never made without it.
     */
    public ActionOutcome call(
            UUID tenantId, UUID conversationId, String verifiedCustomerId, String actionName, String argumentsJson) {
        return switch (prepare(tenantId, conversationId, verifiedCustomerId, actionName, argumentsJson)) {
            case Preparation.Refused refused -> refused.outcome();
            case Preparation.Ready ready
            when ready.call().confirmationRequired() ->
                ActionOutcome.refused(
                        actionName,
                        ActionOutcome.Kind.REFUSED,
                        "the customer must confirm this action first: "
                                + ready.call().summary());
            case Preparation.Ready ready -> execute(ready.call());
        };
    }

    /** The line the customer confirms: the action and its validated arguments, secrets masked, never the model's words. */
    public String summary(ActionDefinitions.ActionView action, JsonNode validatedArguments) {
        return ArgumentText.summary(action.name(), validatedArguments);
    }

    /** Records the refusal with the arguments the schema knows, as far as they could be read. */
    private Preparation refuse(
            UUID tenantId,
            UUID conversationId,
            Action action,
            ActionSchemas.Checked checked,
            ActionOutcome.Kind kind,
            String reason) {
        ActionOutcome outcome = ActionOutcome.refused(action.name, kind, reason);
        JsonNode arguments = checked.arguments() == null ? JsonNodeFactory.instance.objectNode() : checked.arguments();
        record(tenantId, conversationId, action.id, arguments, outcome);
        return new Preparation.Refused(outcome);
    }

    private void record(UUID tenantId, UUID conversationId, UUID actionId, JsonNode arguments, ActionOutcome outcome) {
        meter(tenantId, outcome.action(), outcome);
        // The tenant and conversation are named in the line itself: the caller's log context stays as it is.
        LOG.infof(
                "Action %s of tenant %s in conversation %s: %s%s in %d ms",
                outcome.action(),
                tenantId,
                conversationId,
                outcome.kind().id(),
                outcome.status() == null ? "" : " (HTTP " + outcome.status() + ")",
                outcome.durationMs());
        try {
            TenantScope.run(
                    tenantId,
                    () -> QuarkusTransaction.requiringNew()
                            .run(() -> calls.insert(
                                    tenantId, actionId, conversationId, ArgumentText.masked(arguments), outcome)));
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Recording a call of action %s of tenant %s failed: %s",
                    outcome.action(), tenantId, e.getMessage());
        }
    }

    private void meter(UUID tenantId, String action, ActionOutcome outcome) {
        String tenant = tenantId.toString();
        metrics.counter(
                        "switchboard.actions.calls",
                        "tenant",
                        tenant,
                        "action",
                        action,
                        "outcome",
                        outcome.kind().id())
                .increment();
        if (outcome.durationMs() > 0) {
            metrics.timer("switchboard.actions.duration", "tenant", tenant, "action", action)
                    .record(outcome.durationMs(), TimeUnit.MILLISECONDS);
        }
    }

    private static <T> T inTenant(UUID tenantId, java.util.function.Supplier<T> work) {
        return TenantScope.call(
                tenantId, () -> QuarkusTransaction.joiningExisting().call(work::get));
    }
}
