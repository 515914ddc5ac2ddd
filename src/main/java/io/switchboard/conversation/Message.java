package io.switchboard.conversation;

import io.switchboard.model.ModelReply;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/** One message of a conversation; bot messages carry the provenance of the answer. */
@Entity
@Table(name = "message")
public class Message {

    /** Set and filtered by Hibernate from {@code TenantScope}; a string because Quarkus resolves tenants as strings. */
    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    public UUID id;

    @Column(name = "conversation_id", nullable = false, updatable = false)
    public UUID conversationId;

    /** Position in the conversation, from 1; lets a reconnecting client resume without gaps. */
    @Column(nullable = false, updatable = false)
    public int seq;

    @Convert(converter = MessageRoleConverter.class)
    @Column(nullable = false, updatable = false)
    public MessageRole role;

    @Column(nullable = false)
    public String text;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    /** The person who wrote an agent reply or a note (their principal). */
    public String author;

    /** The customer's verdict on a bot answer: {@code helpful}, {@code unhelpful}, or none. */
    public String feedback;

    @Column(name = "model_endpoint")
    public String modelEndpoint;

    @Column(name = "model_name")
    public String modelName;

    public String provider;

    @Column(name = "config_version")
    public Integer configVersion;

    @Column(name = "model_policy_version")
    public Integer modelPolicyVersion;

    @Column(name = "input_tokens")
    public Integer inputTokens;

    @Column(name = "output_tokens")
    public Integer outputTokens;

    @Column(name = "cost_usd")
    public java.math.BigDecimal costUsd;

    @Column(name = "tokens_estimated", nullable = false)
    public boolean tokensEstimated;

    @Column(name = "ttft_ms")
    public Integer ttftMillis;

    @Column(name = "latency_ms")
    public Integer latencyMillis;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<ModelReply.Citation> citations;
}
