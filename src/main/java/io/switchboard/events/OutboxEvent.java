package io.switchboard.events;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An event waiting in the outbox, or recently published. Not tenant-filtered: the relay
 * publishes every tenant's events; the tenant travels with the event.
 */
@Entity
@Table(name = OutboxEvent.TABLE)
public class OutboxEvent {

    public static final String TABLE = "outbox_event";

    @Id
    public UUID id;

    /** Insertion order, assigned by the database: the relay publishes in this order (one conversation's events are written under its row lock, so they keep their order). */
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "tenant_id", updatable = false)
    public UUID tenantId;

    @Column(nullable = false, updatable = false)
    public String type;

    /** Orders events of one aggregate (the conversation, or the tenant for tenant-wide events). */
    @Column(name = "event_key", nullable = false, updatable = false)
    public String key;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    public JsonNode payload;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;
}
