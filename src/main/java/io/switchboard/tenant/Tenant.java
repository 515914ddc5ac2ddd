package io.switchboard.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A business that runs an assistant on Switchboard. Not itself tenant-filtered. */
@Entity
@Table(name = "tenant")
public class Tenant {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true, updatable = false)
    public String slug;

    @Column(nullable = false)
    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "allowed_origins", nullable = false)
    public List<String> allowedOrigins = new ArrayList<>();

    @Column(nullable = false)
    public String persona = "";

    @Column(nullable = false)
    public String instructions = "";

    @Column(nullable = false)
    public String greeting = "";

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "allowed_link_domains", nullable = false)
    public List<String> allowedLinkDomains = new ArrayList<>();

    /** Features' settings by section name, held as their features wrote them (see {@link TenantSection}). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, JsonNode> sections = new HashMap<>();

    /** Name of the setting (environment variable) holding the widget's identity secret. */
    @Column(name = "identity_secret_ref")
    public String identitySecretRef;

    @Column(name = "require_verified_identity", nullable = false)
    public boolean requireVerifiedIdentity;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "widget_look", nullable = false)
    public WidgetLook widgetLook = WidgetLook.DEFAULT;

    @Column(name = "min_answer_confidence", nullable = false)
    public double minAnswerConfidence;

    /** Bumped on every change of the tenant's settings; recorded on each bot message. */
    @Column(name = "config_version", nullable = false)
    public int configVersion = 1;

    /** A secret marker in the tenant's system prompt; a reply that contains it is a leak. */
    @Column(nullable = false, updatable = false)
    public String canary;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
