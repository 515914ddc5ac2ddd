package io.switchboard.platform;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The audit log of security-relevant actions: who, when, what, on which tenant, from where. An
 * entry is written in the transaction of the action it records (when it has one), so a change
 * that rolls back leaves no entry claiming it happened. Details never carry secrets or message text.
 */
@ApplicationScoped
public class AuditLog {

    /** What happened; the ids are stable, clients filter on them. */
    public enum Action {
        LOGIN("login"),
        LOGIN_FAILED("login-failed"),
        API_KEY_CREATED("api-key.created"),
        API_KEY_REVOKED("api-key.revoked"),
        MEMBER_ADDED("member.added"),
        MEMBER_CHANGED("member.changed"),
        MEMBER_REMOVED("member.removed"),
        ADMIN_PASSWORD_SET("admin.password-set"),
        ADMIN_DISABLED("admin.disabled"),
        MODEL_POLICY_CHANGED("model-policy.changed"),
        MODEL_ENDPOINT_REGISTERED("model-endpoint.registered"),
        MODEL_ENDPOINT_UPDATED("model-endpoint.updated"),
        MODEL_ENDPOINT_DELETED("model-endpoint.deleted"),
        WEBHOOK_CREATED("webhook.created"),
        WEBHOOK_DELETED("webhook.deleted"),
        ACTION_CREATED("action.created"),
        ACTION_UPDATED("action.updated"),
        ACTION_DELETED("action.deleted"),
        /** A call of an action that writes (anything but GET), made for a customer or as an admin's test. */
        ACTION_CALLED("action.called"),
        CHANNEL_CREATED("channel.created"),
        CHANNEL_UPDATED("channel.updated"),
        CHANNEL_DELETED("channel.deleted"),
        TENANT_CREATED("tenant.created"),
        TENANT_UPDATED("tenant.updated"),
        TENANT_DELETED("tenant.deleted"),
        CONVERSATION_EXPORTED("conversation.exported"),
        CONTACT_ERASED("contact.erased"),
        ARTICLE_APPROVED("article.approved"),
        EVALUATION_STARTED("evaluation.started"),
        CANARY_ROLLED_BACK("model-policy.canary-rolled-back"),
        CANARY_PROMOTED("model-policy.canary-promoted");

        private final String id;

        Action(String id) {
            this.id = id;
        }

        @JsonValue
        public String id() {
            return id;
        }

        /** The action with this id, as clients filter on it; a clear error for one that does not exist. */
        public static Action of(String id) {
            return java.util.Arrays.stream(values())
                    .filter(action -> action.id.equals(id))
                    .findFirst()
                    .orElseThrow(() -> ProblemException.invalid(
                            "action",
                            "must be one of "
                                    + java.util.Arrays.stream(values())
                                            .map(Action::id)
                                            .toList()));
        }
    }

    /** An entry as the API shows it. */
    public record EntryView(
            long id,
            UUID tenantId,
            Instant occurredAt,
            String actor,
            String action,
            String target,
            JsonNode detail,
            String sourceAddress) {

        static EntryView of(AuditEntry entry) {
            return new EntryView(
                    entry.id,
                    entry.tenantId,
                    entry.occurredAt,
                    entry.actor,
                    entry.action,
                    entry.target,
                    entry.detail,
                    entry.sourceAddress);
        }
    }

    /** Newest first; {@code next} is the cursor of the following (older) page, null on the last one. */
    public record Page(List<EntryView> items, String next) {}

    /** Who acts when no one is logged in: startup, tenants-config, background work. */
    public static final String SYSTEM = "system";

    private final AuditEntryRepository entries;
    private final ObjectMapper json;
    private final Instance<SecurityIdentity> identity;
    private final Instance<CurrentVertxRequest> request;

    public AuditLog(
            AuditEntryRepository entries,
            ObjectMapper json,
            Instance<SecurityIdentity> identity,
            Instance<CurrentVertxRequest> request) {
        this.entries = entries;
        this.json = json;
        this.identity = identity;
        this.request = request;
    }

    /** Records an action of the current caller, in the caller's transaction when there is one. */
    @Transactional
    public void record(UUID tenantId, Action action, String target, Map<String, ?> detail) {
        write(tenantId, currentActor(), action, target, detail, sourceAddress());
    }

    /** Records a login attempt: it has no transaction to join and runs before the caller is known. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordLogin(
            UUID tenantId, String username, boolean succeeded, String sourceAddress, Map<String, ?> detail) {
        write(tenantId, username, succeeded ? Action.LOGIN : Action.LOGIN_FAILED, null, detail, sourceAddress);
    }

    /** A tenant's entries, or the whole platform's when {@code tenantId} is null; only those of one action when it is given. */
    @Transactional
    public Page page(UUID tenantId, Action action, String before, int limit) {
        Long beforeId = parseCursor(before);
        List<AuditEntry> rows = entries.newestFirst(tenantId, beforeId, action == null ? null : action.id(), limit + 1);
        String next = rows.size() > limit ? String.valueOf(rows.get(limit - 1).id) : null;
        return new Page(rows.stream().limit(limit).map(EntryView::of).toList(), next);
    }

    private void write(
            UUID tenantId, String actor, Action action, String target, Map<String, ?> detail, String sourceAddress) {
        AuditEntry entry = new AuditEntry();
        entry.tenantId = tenantId;
        entry.occurredAt = Instant.now();
        entry.actor = actor;
        entry.action = action.id();
        entry.target = target;
        entry.detail = json.valueToTree(detail);
        entry.sourceAddress = sourceAddress;
        entries.persist(entry);
    }

    private static Long parseCursor(String before) {
        if (before == null || before.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(before);
        } catch (NumberFormatException e) {
            throw new ProblemException(
                    ProblemType.MALFORMED_REQUEST, "The cursor 'before' is not one this API returned");
        }
    }

    private String currentActor() {
        if (!Arc.container().requestContext().isActive()) {
            return SYSTEM;
        }
        SecurityIdentity caller = identity.get();
        return caller.isAnonymous() ? SYSTEM : caller.getPrincipal().getName();
    }

    private String sourceAddress() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        RoutingContext current = request.get().getCurrent();
        SocketAddress remote = current == null ? null : current.request().remoteAddress();
        return remote == null ? null : remote.hostAddress();
    }
}
