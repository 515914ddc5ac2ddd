package io.switchboard.platform;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One security-relevant action. Not a {@code @TenantId} entity: platform actions have no tenant,
 * and a tenant's entries are read with an explicit tenant condition.
 */
@Entity
@Table(name = AuditEntry.TABLE)
public class AuditEntry {

    public static final String TABLE = "audit_log";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "tenant_id", updatable = false)
    public UUID tenantId;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    public Instant occurredAt;

    @Column(nullable = false, updatable = false)
    public String actor;

    @Column(nullable = false, updatable = false)
    public String action;

    @Column(updatable = false)
    public String target;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    public JsonNode detail;

    @Column(name = "source_address", updatable = false)
    public String sourceAddress;
}
