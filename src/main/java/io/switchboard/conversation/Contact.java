package io.switchboard.conversation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** An end customer of a tenant: anonymous, or identified by the tenant's own user id. */
@Entity
@Table(name = "contact")
public class Contact {

    /** Set and filtered by Hibernate from {@code TenantScope}; a string because Quarkus resolves tenants as strings. */
    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    public UUID id;

    @Column(name = "external_id")
    public String externalId;

    @Column(name = "display_name")
    public String displayName;

    public String email;

    @Column(nullable = false)
    public boolean verified;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;
}
