package io.switchboard.action;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.Problem;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.Secrets;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/** A tenant's actions as its admins manage them, and the record of their calls. */
@ApplicationScoped
public class ActionDefinitions {

    private static final Logger LOG = Logger.getLogger(ActionDefinitions.class);
    public static final int MAX_ACTIONS_PER_TENANT = 100;
    private static final String PLACEHOLDER_MARK = "placeholder";

    /** An action as the API shows it; {@code signingSecret} only in the answer that created it. */
    public record ActionView(
            UUID id,
            String name,
            String description,
            String method,
            String url,
            JsonNode parameters,
            boolean requiresVerifiedCustomer,
            boolean confirm,
            int timeout,
            boolean enabled,
            Instant createdAt,
            Instant updatedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) String signingSecret) {

        /** The version a client sends back in If-Match: when the action was last changed, in microseconds. */
        public String version() {
            return Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, updatedAt));
        }

        static ActionView of(Action action, String signingSecret) {
            return new ActionView(
                    action.id,
                    action.name,
                    action.description,
                    action.method,
                    action.url,
                    action.parameters,
                    action.requiresVerifiedCustomer,
                    action.confirm,
                    action.timeoutMs,
                    action.enabled,
                    action.createdAt,
                    action.updatedAt,
                    signingSecret);
        }
    }

    /** One recorded call: arguments as validated, secret-looking values masked; {@code test} for an admin's test. */
    public record CallView(
            UUID id,
            String action,
            UUID conversationId,
            JsonNode arguments,
            String outcome,
            Integer status,
            String reason,
            int durationMs,
            Instant createdAt,
            boolean test) {}

    /**
     * A write offered to the customer for confirmation: the line they were shown and where their
     * decision stands ({@code pending}, {@code confirmed}, {@code declined}, or {@code expired} once
     * its time passed undecided).
     */
    public record PendingView(
            UUID id,
            String action,
            String summary,
            String state,
            Instant createdAt,
            Instant expiresAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant decidedAt) {}

    private final ActionRepository actions;
    private final ActionCallRepository calls;
    private final PendingActionRepository pending;
    private final ActionClient client;
    private final ActionCircuits circuits;
    private final ActionSchemas schemas;
    private final ObjectMapper json;
    private final AuditLog audit;

    public ActionDefinitions(
            ActionRepository actions,
            ActionCallRepository calls,
            PendingActionRepository pending,
            ActionClient client,
            ActionCircuits circuits,
            ObjectMapper json,
            AuditLog audit) {
        this.actions = actions;
        this.calls = calls;
        this.pending = pending;
        this.client = client;
        this.circuits = circuits;
        this.schemas = new ActionSchemas(json);
        this.json = json;
        this.audit = audit;
    }

    @Transactional
    public ActionView create(ActionDefinition definition) {
        JsonNode parameters = validate(definition);
        if (actions.named(definition.name()).isPresent()) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "The tenant already has an action named '" + definition.name() + "'");
        }
        if (actions.countInTenant() >= MAX_ACTIONS_PER_TENANT) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "A tenant may have at most " + MAX_ACTIONS_PER_TENANT + " actions");
        }
        Action action = new Action();
        action.id = UUID.randomUUID();
        action.secret = Secrets.newSecret("acsec_");
        action.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        apply(action, definition, parameters);
        actions.persist(action);
        audit.record(
                TenantScope.require(),
                AuditLog.Action.ACTION_CREATED,
                action.id.toString(),
                Map.of("name", action.name, "method", action.method, "url", action.url));
        LOG.infof("Action %s (%s) of tenant %s created", action.id, action.name, TenantScope.require());
        return ActionView.of(action, action.secret);
    }

    @Transactional
    public List<ActionView> list() {
        return actions.byName().stream()
                .map(action -> ActionView.of(action, null))
                .toList();
    }

    @Transactional
    public ActionView get(UUID id) {
        return ActionView.of(find(id), null);
    }

    /**
     * Replaces everything but the id and the signing secret.
     *
     * @param expectedVersion the {@link ActionView#version()} the client read, or null to replace whatever is there
     */
    @Transactional
    public ActionView replace(UUID id, ActionDefinition definition, String expectedVersion) {
        Action action = find(id);
        String current = ActionView.of(action, null).version();
        if (expectedVersion != null && !expectedVersion.equals(current)) {
            throw new ProblemException(
                    ProblemType.PRECONDITION_FAILED,
                    "The action changed since it was read (version " + expectedVersion + ", now " + current
                            + "). Read it again and retry.");
        }
        JsonNode parameters = validate(definition);
        Optional<Action> named = actions.named(definition.name());
        if (named.isPresent() && !named.get().id.equals(id)) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "The tenant already has an action named '" + definition.name() + "'");
        }
        apply(action, definition, parameters);
        circuits.forget(TenantScope.require(), action.id);
        audit.record(
                TenantScope.require(),
                AuditLog.Action.ACTION_UPDATED,
                action.id.toString(),
                Map.of("name", action.name, "method", action.method, "url", action.url, "enabled", action.enabled));
        return ActionView.of(action, null);
    }

    @Transactional
    public void delete(UUID id) {
        Action action = find(id);
        actions.delete(action);
        circuits.forget(TenantScope.require(), action.id);
        audit.record(
                TenantScope.require(),
                AuditLog.Action.ACTION_DELETED,
                action.id.toString(),
                Map.of("name", action.name));
    }

    /** The action's calls, newest first. */
    @Transactional
    public List<CallView> calls(UUID id, int limit) {
        return calls.ofAction(find(id).id, limit);
    }

    /** The calls made in a conversation, oldest first, for its transcript. */
    @Transactional
    public List<CallView> callsIn(UUID conversationId) {
        return calls.inConversation(conversationId);
    }

    /** The writes offered in a conversation for the customer to confirm, oldest first, for its transcript. */
    @Transactional
    public List<PendingView> pendingIn(UUID conversationId) {
        Instant now = Instant.now();
        return pending.inConversation(conversationId).stream()
                .map(stored -> new PendingView(
                        stored.id(),
                        stored.call().actionName(),
                        stored.call().summary(),
                        stored.expired(now) ? "expired" : stored.state(),
                        stored.createdAt(),
                        stored.expiresAt(),
                        stored.decidedAt()))
                .toList();
    }

    private Action find(UUID id) {
        Action action = actions.findById(id);
        if (action == null || !action.tenantId.equals(TenantScope.require().toString())) {
            throw ProblemException.notFound("Action");
        }
        return action;
    }

    private static void apply(Action action, ActionDefinition definition, JsonNode parameters) {
        action.name = definition.name();
        action.description = definition.description().strip();
        action.method = definition.method();
        action.url = definition.url().strip();
        action.parameters = parameters;
        action.requiresVerifiedCustomer =
                definition.requiresVerifiedCustomer() == null || definition.requiresVerifiedCustomer();
        action.confirm = definition.confirm() == null ? !definition.method().equals("GET") : definition.confirm();
        action.timeoutMs = definition.timeout() == null ? ActionDefinition.DEFAULT_TIMEOUT_MS : definition.timeout();
        action.enabled = definition.enabled() == null || definition.enabled();
        // As PostgreSQL keeps it, so the version read back is the version written.
        action.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** The definition's parameters schema (the empty object schema when absent), or every field's problem. */
    private JsonNode validate(ActionDefinition definition) {
        JsonNode parameters = parameters(definition);
        List<Problem.FieldError> problems = problemsWith(definition, parameters);
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems);
        }
        return parameters;
    }

    private JsonNode parameters(ActionDefinition definition) {
        return definition.parameters() == null || definition.parameters().isNull()
                ? emptySchema()
                : definition.parameters();
    }

    /** What would keep the definition from being saved: its parameters schema's and its URL's problems. */
    List<Problem.FieldError> problemsWith(ActionDefinition definition) {
        return problemsWith(definition, parameters(definition));
    }

    /** Whether the current tenant has an action of this name. */
    boolean nameTaken(String name) {
        return actions.named(name).isPresent();
    }

    private List<Problem.FieldError> problemsWith(ActionDefinition definition, JsonNode parameters) {
        List<Problem.FieldError> problems = new ArrayList<>();
        schemas.problemWith(parameters)
                .ifPresent(problem -> problems.add(new Problem.FieldError("parameters", problem)));
        urlProblem(definition.url().strip(), parameters)
                .ifPresent(problem -> problems.add(new Problem.FieldError("url", problem)));
        return problems;
    }

    private Optional<String> urlProblem(String url, JsonNode parameters) {
        List<String> placeholders = ActionSchemas.placeholders(url);
        Optional<String> badName = placeholders.stream()
                .filter(name -> !name.matches("[A-Za-z0-9_]{1,64}"))
                .findFirst();
        if (badName.isPresent()) {
            return Optional.of("has a placeholder '{" + badName.get() + "}' that is not a property name");
        }
        if (url.matches("[^:/?#]*://[^/?#]*\\{.*")) {
            // The host is the tenant's choice once, at definition, never the model's at each call.
            return Optional.of("may have placeholders in its path and query only");
        }
        String concrete = url.replaceAll("\\{[A-Za-z0-9_]+}", PLACEHOLDER_MARK);
        URI uri;
        try {
            uri = URI.create(concrete);
        } catch (IllegalArgumentException e) {
            return Optional.of("is not a URL");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        Optional<String> address = client.addresses().problemWith(concrete);
        if (address.isPresent()) {
            return address;
        }
        return ActionSchemas.undeclaredPlaceholder(url, parameters)
                .map(name -> "has a placeholder '{" + name + "}' that is not a property of the parameters schema");
    }

    private ObjectNode emptySchema() {
        ObjectNode schema = json.createObjectNode();
        schema.put("type", "object");
        schema.putObject("properties");
        return schema;
    }
}
