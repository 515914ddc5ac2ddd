package io.switchboard.tenant;

import io.switchboard.assistant.ConsumptionLimits;
import io.switchboard.handoff.EscalationRules;
import io.switchboard.model.ModelPolicy;
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

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "consumption_limits", nullable = false)
    public ConsumptionLimits limits = ConsumptionLimits.DEFAULT;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "model_policy", nullable = false)
    public ModelPolicy modelPolicy;

    @Column(name = "model_policy_version", nullable = false)
    public int modelPolicyVersion = 1;

    /** Catalogue endpoints the operator lets this tenant use; null means all of them. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "allowed_endpoints")
    public List<String> allowedEndpoints;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public EscalationRules escalation = EscalationRules.none();

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

    /** Bumped on every change of assistant or model settings; recorded on each bot message. */
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
