package io.switchboard.knowledge;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/** A help article of a tenant's knowledge base, in markdown. */
@Entity
@Table(name = "article")
public class Article {

    /** Set and filtered by Hibernate from {@code TenantScope}; a string because Quarkus resolves tenants as strings. */
    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    public UUID id;

    /** Set for articles that come from tenants-config, so re-imports update instead of duplicating. */
    @Column(name = "source_key", updatable = false)
    public String sourceKey;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    public String body;

    public String url;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> tags = new ArrayList<>();

    @Column(nullable = false)
    public String language;

    /** Why the article waits for an admin's review before answers may use it; null when they may. */
    @Column(name = "review_reason")
    public String reviewReason;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
