package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
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
    private final ActionCircuits circuits;
    private final MeterRegistry metrics;
    private final AuditLog audit;

    public ActionService(
            ActionRepository actions,
            ActionCallRepository calls,
            ActionClient client,
            ActionCircuits circuits,
            ObjectMapper json,
            MeterRegistry metrics,
            AuditLog audit) {
        this.actions = actions;
        this.calls = calls;
        this.client = client;
        this.circuits = circuits;
        this.schemas = new ActionSchemas(json);
        this.metrics = metrics;
        this.audit = audit;
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
        String problem = argumentProblem(action, checked);
        if (problem != null) {
            return refuse(tenantId, conversationId, action, checked, ActionOutcome.Kind.INVALID_ARGUMENTS, problem);
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

    /** Why the checked arguments cannot make a call of the action (they do not fit, or leave a URL placeholder empty), or null. */
    private static String argumentProblem(Action action, ActionSchemas.Checked checked) {
        if (checked.refusal() != null) {
            return checked.refusal();
        }
        for (String placeholder : ActionSchemas.placeholders(action.url)) {
            JsonNode value = checked.arguments().get(placeholder);
            if (value == null
                    || value.isNull()
                    || value.isContainerNode()
                    || value.asText().matches("\\.{0,2}")) {
                return "'" + placeholder + "' needs a value (it is part of the URL)";
            }
        }
        return null;
    }

    /**
     * Makes a prepared call through the action's circuit breaker, and records it. Call it for an action that needs confirmation only
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
        ActionOutcome outcome = circuits.through(
                call.tenantId(),
                action.id,
                action.name,
                () -> client.send(
                        action.name, request(action, call.arguments(), call.customerId(), call.conversationId())));
        record(call.tenantId(), call.conversationId(), action, call.arguments(), outcome, false);
        return outcome;
    }

    /**
     * An admin's test of an action of the current tenant, enabled or not: the sample arguments
     * checked like a model's, then one real call, recorded and metered as a test. It bypasses the
     * circuit breaker (the admin wants to see what the API answers now) and does not count towards it.
     *
     * @throws io.switchboard.platform.ProblemException 404 for an action the tenant does not have, 422 for arguments that do not fit
     */
    public ActionTestResult test(UUID actionId, ActionTestRequest request) {
        UUID tenantId = TenantScope.require();
        Action action = inTenant(
                        tenantId,
                        () -> Optional.ofNullable(actions.findById(actionId))
                                .filter(found -> found.tenantId.equals(tenantId.toString())))
                .orElseThrow(() -> ProblemException.notFound("Action"));
        JsonNode arguments = request == null || request.arguments() == null
                ? JsonNodeFactory.instance.objectNode()
                : request.arguments();
        if (!arguments.isObject()) {
            throw ProblemException.invalid("arguments", "must be a JSON object");
        }
        ActionSchemas.Checked checked = schemas.check(action.parameters, arguments.toString());
        String problem = argumentProblem(action, checked);
        if (problem != null) {
            throw ProblemException.invalid("arguments", problem);
        }
        ActionClient.Exchange exchange = client.exchange(
                action.name, request(action, checked.arguments(), request == null ? null : request.customerId(), null));
        record(tenantId, null, action, checked.arguments(), exchange.outcome(), true);
        return ActionTestResult.of(exchange);
    }

    private static ActionClient.Call request(
            Action action, ObjectNode arguments, String customerId, UUID conversationId) {
        return new ActionClient.Call(
                action.method, action.url, action.timeoutMs, action.secret, arguments, customerId, conversationId);
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
        record(tenantId, conversationId, action, arguments, outcome, false);
        return new Preparation.Refused(outcome);
    }

    /** Records a customer's decision on a pending write (offered, confirmed, declined, expired): never a call, so never audited. */
    void record(UUID tenantId, UUID conversationId, UUID actionId, JsonNode arguments, ActionOutcome outcome) {
        record(tenantId, conversationId, actionId, null, arguments, outcome, false);
    }

    private void record(
            UUID tenantId,
            UUID conversationId,
            Action action,
            JsonNode arguments,
            ActionOutcome outcome,
            boolean test) {
        record(
                tenantId,
                conversationId,
                action.id,
                action.method.equals("GET") ? null : action,
                arguments,
                outcome,
                test);
    }

    /**
     * Records, meters and logs a call; {@code wrote}, the action of a call that writes (anything
     * but GET), also goes to the audit log, with its outcome and never its arguments.
     */
    private void record(
            UUID tenantId,
            UUID conversationId,
            UUID actionId,
            Action wrote,
            JsonNode arguments,
            ActionOutcome outcome,
            boolean test) {
        meter(tenantId, outcome.action(), outcome);
        // The tenant and conversation are named in the line itself: the caller's log context stays as it is.
        LOG.infof(
                "%s %s of tenant %s in conversation %s: %s%s in %d ms",
                test ? "Test of action" : "Action",
                outcome.action(),
                tenantId,
                conversationId,
                outcome.kind().id(),
                outcome.status() == null ? "" : " (HTTP " + outcome.status() + ")",
                outcome.durationMs());
        try {
            TenantScope.run(
                    tenantId,
                    () -> QuarkusTransaction.requiringNew().run(() -> {
                        calls.insert(tenantId, actionId, conversationId, ArgumentText.masked(arguments), outcome, test);
                        if (wrote != null) {
                            audit.record(
                                    tenantId,
                                    AuditLog.Action.ACTION_CALLED,
                                    actionId.toString(),
                                    audited(wrote, conversationId, outcome, test));
                        }
                    }));
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Recording a call of action %s of tenant %s failed: %s",
                    outcome.action(), tenantId, e.getMessage());
        }
    }

    private static Map<String, Object> audited(
            Action action, UUID conversationId, ActionOutcome outcome, boolean test) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("name", action.name);
        detail.put("method", action.method);
        detail.put("conversationId", conversationId);
        detail.put("outcome", outcome.kind().id());
        detail.put("status", outcome.status());
        detail.put("test", test);
        return detail;
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
