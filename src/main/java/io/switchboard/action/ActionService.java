package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs a tenant's actions for the assistant. The platform, not the model, decides who the customer
 * is and whether they may use an action; the model supplies only arguments, which are checked
 * against the action's schema. A call the customer must agree to is split in two:
 * {@link #prepare} (check, write the summary to show) and {@link #execute} once they agreed
 * ({@link ActionConfirmations} keeps it while they decide).
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

    public ActionService(
            ActionRepository actions,
            ActionCallRepository calls,
            ActionClient client,
            ObjectMapper json,
            MeterRegistry metrics) {
        this.actions = actions;
        this.calls = calls;
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

    void record(UUID tenantId, UUID conversationId, UUID actionId, JsonNode arguments, ActionOutcome outcome) {
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

    static <T> T inTenant(UUID tenantId, java.util.function.Supplier<T> work) {
        return TenantScope.call(
                tenantId, () -> QuarkusTransaction.joiningExisting().call(work::get));
    }
}
