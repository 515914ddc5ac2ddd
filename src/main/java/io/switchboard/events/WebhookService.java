package io.switchboard.events;

import io.switchboard.platform.AuditLog;
import io.switchboard.platform.EndpointAddressPolicy;
import io.switchboard.platform.Problem;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.ScopedConnections;
import io.switchboard.platform.Secrets;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * A tenant's webhooks: subscriptions (the signing secret is shown once, at creation), and one
 * delivery per event and subscription, queued from the platform's shared event subscription,
 * whatever replica or redelivery brings the event.
 */
@ApplicationScoped
public class WebhookService {

    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    public static final int MAX_WEBHOOKS_PER_TENANT = 20;
    /** Tries to queue an event's deliveries over about 30 s (waits of 1, 2, 4, 8 and 16 s) before giving up on it. */
    private static final int QUEUE_ATTEMPTS = 6;

    private static final Set<String> EVENT_TYPES =
            Arrays.stream(EventType.values()).map(EventType::topic).collect(Collectors.toSet());

    /** A webhook as listed: never its secret. */
    public record WebhookView(UUID id, String url, List<String> eventTypes, String description, Instant createdAt) {

        static WebhookView of(Webhook webhook) {
            return new WebhookView(webhook.id, webhook.url, webhook.eventTypes, webhook.description, webhook.createdAt);
        }
    }

    /** A new webhook: the only time its signing secret is shown. */
    public record Created(
            UUID id, String url, List<String> eventTypes, String description, Instant createdAt, String secret) {}

    public record DeliveryView(
            UUID id,
            UUID eventId,
            String eventType,
            String status,
            int attempts,
            Instant nextAttemptAt,
            Integer lastStatus,
            String lastError,
            Instant createdAt,
            Instant deliveredAt) {}

    /** One POST of a delivery: the HTTP status if one came back, the error if it was not a 2xx. */
    public record Attempt(Integer status, String error, long durationMs) {

        public boolean delivered() {
            return error == null;
        }
    }

    private final WebhookRepository webhooks;
    private final WebhookDeliveryRepository deliveries;
    private final ScopedConnections connections;
    private final EndpointAddressPolicy addresses;
    private final WebhookDispatcher dispatcher;
    private final AuditLog audit;

    public WebhookService(
            WebhookRepository webhooks,
            WebhookDeliveryRepository deliveries,
            ScopedConnections connections,
            EventsConfig events,
            WebhookDispatcher dispatcher,
            AuditLog audit) {
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.connections = connections;
        this.addresses = new EndpointAddressPolicy(
                events.webhooks().allowedHosts().orElse(List.of()), "SWITCHBOARD_WEBHOOKS_ALLOWED_HOSTS", false);
        this.dispatcher = dispatcher;
        this.audit = audit;
    }

    @Transactional
    public Created create(String url, List<String> eventTypes, String description) {
        List<Problem.FieldError> problems = new ArrayList<>();
        addresses.problemWith(url).ifPresent(problem -> problems.add(new Problem.FieldError("url", problem)));
        List<String> types =
                eventTypes == null ? List.of() : eventTypes.stream().distinct().toList();
        types.stream()
                .filter(type -> !EVENT_TYPES.contains(type))
                .findFirst()
                .ifPresent(type -> problems.add(new Problem.FieldError(
                        "eventTypes",
                        "unknown event type '" + type + "' (known: "
                                + String.join(
                                        ", ", EVENT_TYPES.stream().sorted().toList()) + ")")));
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The webhook cannot be created", problems);
        }
        if (webhooks.countInTenant() >= MAX_WEBHOOKS_PER_TENANT) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "A tenant may have at most " + MAX_WEBHOOKS_PER_TENANT + " webhooks");
        }
        Webhook webhook = new Webhook();
        webhook.id = UUID.randomUUID();
        webhook.url = url;
        webhook.eventTypes = types;
        webhook.description = description;
        webhook.secret = Secrets.newSecret("whsec_");
        webhook.createdAt = Instant.now();
        webhooks.persist(webhook);
        audit.record(
                TenantScope.require(),
                AuditLog.Action.WEBHOOK_CREATED,
                webhook.id.toString(),
                java.util.Map.of("url", url, "eventTypes", types));
        LOG.infof("Webhook %s created", webhook.id);
        return new Created(
                webhook.id, webhook.url, webhook.eventTypes, webhook.description, webhook.createdAt, webhook.secret);
    }

    @Transactional
    public List<WebhookView> list() {
        return webhooks.oldestFirst().stream().map(WebhookView::of).toList();
    }

    @Transactional
    public void delete(UUID id) {
        Webhook webhook = webhooks.findById(id);
        if (webhook == null
                || webhook.owner != null
                || !webhook.tenantId.equals(TenantScope.require().toString())) {
            throw ProblemException.notFound("Webhook");
        }
        webhooks.delete(webhook);
        audit.record(
                TenantScope.require(),
                AuditLog.Action.WEBHOOK_DELETED,
                webhook.id.toString(),
                java.util.Map.of("url", webhook.url));
    }

    /**
     * A webhook the {@code owner} manages, in the caller's transaction: its URL checked by the
     * owner, its signing secret returned (to be shown once). It gets only what the owner queues.
     */
    @Transactional
    public Created createOwned(WebhookOwner owner, String url, String description) {
        Webhook webhook = new Webhook();
        webhook.id = UUID.randomUUID();
        webhook.url = url;
        webhook.eventTypes = List.of();
        webhook.description = description;
        webhook.owner = owner.owner();
        webhook.secret = Secrets.newSecret("whsec_");
        webhook.createdAt = Instant.now();
        webhooks.persist(webhook);
        return new Created(
                webhook.id, webhook.url, webhook.eventTypes, webhook.description, webhook.createdAt, webhook.secret);
    }

    /** Points an owned webhook at another URL (checked by its owner), in the caller's transaction. */
    @Transactional
    public void moveOwned(UUID id, String url) {
        owned(id).url = url;
    }

    /** Deletes an owned webhook and its deliveries, in the caller's transaction. */
    @Transactional
    public void deleteOwned(UUID id) {
        webhooks.delete(owned(id));
    }

    private Webhook owned(UUID id) {
        Webhook webhook = webhooks.findById(id);
        if (webhook == null
                || webhook.owner == null
                || !webhook.tenantId.equals(TenantScope.require().toString())) {
            throw ProblemException.notFound("Webhook");
        }
        return webhook;
    }

    /**
     * Queues one delivery of an owned webhook, signed and retried like every webhook's; the same
     * event queued again (a redelivered event) is queued once. The delivery keeps the event's key (its
     * conversation), which erasing the conversation finds it by. Runs outside any transaction.
     */
    public void deliverOwned(UUID tenantId, UUID webhookId, DomainEvent event, String payload)
            throws InterruptedException {
        queueRidingOutOutages(event.id(), () -> insertOwnedDelivery(tenantId, webhookId, event, payload));
    }

    private void insertOwnedDelivery(UUID tenantId, UUID webhookId, DomainEvent event, String payload) {
        String sql = """
                insert into webhook_delivery (id, tenant_id, webhook_id, event_id, event_type, key, payload, status, next_attempt_at, created_at)
                select gen_random_uuid(), w.tenant_id, w.id, ?, ?, ?, ?::jsonb, 'pending', now(), now()
                from webhook w where w.id = ? and w.owner is not null
                on conflict (webhook_id, event_id) do nothing""";
        try (Connection connection = connections.forTenant(tenantId);
                PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setObject(1, event.id());
            insert.setString(2, event.type());
            insert.setString(3, event.key());
            insert.setString(4, payload);
            insert.setObject(5, webhookId);
            if (insert.executeUpdate() > 0) {
                dispatcher.wakeUp();
            }
        } catch (SQLException e) {
            LOG.warnf(
                    "Queuing a delivery of webhook %s for event %s failed: %s", webhookId, event.id(), e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The webhook's deliveries, newest first; {@code status} filters (pending, delivered, dead). */
    @Transactional
    public List<DeliveryView> deliveries(UUID webhookId, String status, int limit) {
        ofTenant(webhookId);
        return deliveries.ofWebhook(webhookId, status, limit);
    }

    /** How many of the webhook's deliveries are pending, delivered or dead (a status with none is absent). */
    @Transactional
    public Map<String, Long> deliveryCounts(UUID webhookId) {
        ofTenant(webhookId);
        return deliveries.countsOfWebhook(webhookId);
    }

    private void ofTenant(UUID webhookId) {
        Webhook webhook = webhooks.findById(webhookId);
        if (webhook == null || !webhook.tenantId.equals(TenantScope.require().toString())) {
            throw ProblemException.notFound("Webhook");
        }
    }

    /** Queues the event for each of its tenant's webhooks that wants it; an event seen before queues nothing. */
    void queue(@Observes SharedEvents.Once once) throws InterruptedException {
        queueRidingOutOutages(once.event().id(), () -> insertDeliveries(once.event(), once.payload()));
    }

    /** The event is acknowledged once queuing returns: ride out a short database outage rather than lose it. */
    private static void queueRidingOutOutages(UUID eventId, Runnable queuing) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                queuing.run();
                return;
            } catch (IllegalStateException failed) {
                if (attempt == QUEUE_ATTEMPTS) {
                    LOG.errorf(
                            "Webhook deliveries for event %s were not queued after %d attempts: %s",
                            eventId, attempt, failed.getMessage());
                    return;
                }
                Thread.sleep(500L << attempt);
            }
        }
    }

    private void insertDeliveries(DomainEvent event, String payload) {
        if (event.tenantId() == null) {
            return;
        }
        String sql = """
                insert into webhook_delivery (id, tenant_id, webhook_id, event_id, event_type, payload, status, next_attempt_at, created_at)
                select gen_random_uuid(), w.tenant_id, w.id, ?, ?, ?::jsonb, 'pending', now(), now()
                from webhook w where w.tenant_id = ? and w.owner is null and (w.event_types = '[]'::jsonb or w.event_types ?? ?)
                on conflict (webhook_id, event_id) do nothing""";
        try (Connection connection = connections.forTenant(event.tenantId());
                PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setObject(1, event.id());
            insert.setString(2, event.type());
            insert.setString(3, payload);
            insert.setObject(4, event.tenantId());
            insert.setString(5, event.type());
            if (insert.executeUpdate() > 0) {
                dispatcher.wakeUp();
            }
        } catch (SQLException e) {
            LOG.warnf("Queuing webhook deliveries for event %s failed: %s", event.id(), e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
