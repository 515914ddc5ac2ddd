package io.switchboard.events;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/** A tenant's subscription to events at a URL of its own. */
@Entity
@Table(name = "webhook")
public class Webhook {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    public UUID id;

    @Column(nullable = false)
    public String url;

    /** Event types (topics) delivered; empty means every type. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "event_types", nullable = false)
    public List<String> eventTypes;

    /** Signs every delivery; shown to the tenant once, when the webhook is created. */
    @Column(nullable = false)
    public String secret;

    public String description;

    /** The feature that manages this webhook ({@link WebhookOwner}); null for the tenant's own subscriptions. */
    public String owner;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    boolean wants(String eventType) {
        return eventTypes.isEmpty() || eventTypes.contains(eventType);
    }
}
