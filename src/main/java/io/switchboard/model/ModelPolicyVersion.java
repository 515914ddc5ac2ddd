package io.switchboard.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One version of a tenant's model policy: what it was, who set it and when. */
@Entity
@Table(name = "model_policy_version")
public class ModelPolicyVersion {

    @Embeddable
    public record Key(
            @Column(name = "tenant_id") UUID tenantId,
            @Column(name = "version") int version) implements Serializable {}

    @EmbeddedId
    public Key key;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    public ModelPolicy policy;

    @Column(name = "changed_by", nullable = false, updatable = false)
    public String changedBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;
}
