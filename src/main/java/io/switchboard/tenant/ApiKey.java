package io.switchboard.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An API key of a tenant (or of the platform when {@code tenantId} is null); only its hash is kept. */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    public UUID id;

    @Column(name = "tenant_id", updatable = false)
    public UUID tenantId;

    @Column(nullable = false)
    public String name;

    @Column(name = "key_hash", nullable = false, unique = true, updatable = false)
    public String keyHash;

    @Column(name = "key_prefix", nullable = false, updatable = false)
    public String keyPrefix;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> roles = new ArrayList<>();

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Created from SWITCHBOARD_BOOTSTRAP_API_KEY: revoked at the first start that no longer has it. */
    @Column(nullable = false, updatable = false)
    public boolean bootstrap;
}
