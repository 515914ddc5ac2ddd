package io.switchboard.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The model policy a tenant runs on now, with its version (the ETag of the policy resource). */
@Entity
@Table(name = "model_policy")
public class TenantModelPolicy {

    @Id
    @Column(name = "tenant_id")
    public UUID tenantId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public ModelPolicy policy;

    @Column(nullable = false)
    public int version;

    /** Catalogue endpoints the operator lets this tenant use; null means all of them. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "allowed_endpoints")
    public List<String> allowedEndpoints;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
