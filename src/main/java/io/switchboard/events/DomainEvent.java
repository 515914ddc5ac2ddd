package io.switchboard.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * What consumers receive: a versioned envelope with an id to deduplicate by. {@code key} is the
 * conversation id for conversation events and the tenant id for tenant-wide ones; on Kafka it is
 * the record key, so one conversation's events stay in order. {@code tenantId} is null for the
 * few platform-wide events (a platform account changed).
 */
public record DomainEvent(
        UUID id, String type, int version, UUID tenantId, String key, Instant occurredAt, JsonNode data) {

    public static final int VERSION = 1;

    static DomainEvent of(OutboxEvent row) {
        return new DomainEvent(row.id, row.type, VERSION, row.tenantId, row.key, row.createdAt, row.payload);
    }
}
