package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/** An operation on the tenant's own API that the assistant may call for a customer, as a tool. */
@Entity
@Table(name = "action")
public class Action {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    public UUID id;

    /** The tool name the model sees, unique in the tenant. */
    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String description;

    @Column(nullable = false)
    public String method;

    /** The URL with {@code {param}} placeholders, each one a property of {@link #parameters}. */
    @Column(nullable = false)
    public String url;

    /** The JSON Schema (an object) of the arguments the model supplies. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public JsonNode parameters;

    @Column(name = "requires_verified_customer", nullable = false)
    public boolean requiresVerifiedCustomer;

    /** Whether the customer must agree before the call is made. */
    @Column(nullable = false)
    public boolean confirm;

    @Column(name = "timeout_ms", nullable = false)
    public int timeoutMs;

    @Column(nullable = false)
    public boolean enabled;

    /** Signs every call; shown to the tenant once, when the action is created. */
    @Column(nullable = false)
    public String secret;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
