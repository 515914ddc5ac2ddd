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

/**
 * A built-in account of the embedded default: a member of one tenant, or of the platform when
 * {@code tenantId} is null. Only a bcrypt hash of the password is kept. Not a {@code @TenantId}
 * entity: a login names no tenant, so the lookup by username spans tenants.
 */
@Entity
@Table(name = "account")
public class Account {

    @Id
    public UUID id;

    @Column(name = "tenant_id", updatable = false)
    public UUID tenantId;

    @Column(nullable = false, updatable = false)
    public String username;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> roles = new ArrayList<>();

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "last_login_at")
    public Instant lastLoginAt;

    /** Incremented with every password change; console sessions of an older count end. */
    @Column(name = "credentials_version", nullable = false)
    public int credentialsVersion;
}
