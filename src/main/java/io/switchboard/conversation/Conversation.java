package io.switchboard.conversation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "conversation")
public class Conversation {

    /** Set and filtered by Hibernate from {@code TenantScope}; a string because Quarkus resolves tenants as strings. */
    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    public UUID id;

    /** Per-tenant number agents can say out loud ("conversation #1042"). */
    @Column(nullable = false, updatable = false)
    public long number;

    @Column(name = "contact_id", nullable = false, updatable = false)
    public UUID contactId;

    /** The channel the conversation came in through (the tenant's id for its widget). */
    @Column(name = "channel_id", nullable = false, updatable = false)
    public UUID channelId;

    /** The type of that channel ({@code widget}, {@code api}): all the conversation knows of where it came from. */
    @Column(name = "channel_type", nullable = false, updatable = false)
    public String channelType;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ConversationState state;

    @Column(name = "escalation_reason")
    public String escalationReason;

    /** The person who owns the conversation while it is HUMAN. */
    public String assignee;

    /** SHA-256 of the customer's conversation token; the token itself is never stored. */
    @Column(name = "token_hash", nullable = false, updatable = false)
    public String tokenHash;

    /** The model policy version the conversation started with; it keeps it until it closes. */
    @Column(name = "model_policy_version", nullable = false, updatable = false)
    public int modelPolicyVersion;

    /** Drawn for the canary model of its policy version; kept until it closes. */
    @Column(name = "canary", nullable = false, updatable = false)
    public boolean canary;

    @Column(name = "message_count", nullable = false)
    public int messageCount;

    /** The bot's answers so far and the tokens they used: what the per-conversation limits count. */
    @Column(name = "bot_turns", nullable = false)
    public int botTurns;

    @Column(name = "bot_tokens", nullable = false)
    public long botTokens;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** When it last went to the queue for a person: what an agent's wait time counts from. */
    @Column(name = "escalated_at")
    public Instant escalatedAt;

    /** Why the guardrails want a person to review it (the first reason found); null when nothing was flagged. */
    @Column(name = "flagged_reason")
    public String flaggedReason;

    @Column(name = "flagged_at")
    public Instant flaggedAt;

    /**
     * The customer's language (ISO 639-1) from their latest message long enough to tell it; null
     * until one does. Notices are written in it.
     */
    @Column(name = "language")
    public String language;

    /**
     * When the customer was asked to rate the conversation: the assistant resolved it (an answer
     * marked helpful before any hand-off) or a person closed it. Null until then.
     */
    @Column(name = "survey_offered_at")
    public Instant surveyOfferedAt;

    /** The quality grade ({@code good}, {@code fair}, {@code poor}) the insight feature gave it; null until graded. */
    @Column(name = "grade")
    public String grade;

    /** The signals behind the grade, the deciding one first. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "grade_reasons")
    public List<String> gradeReasons;

    @Column(name = "graded_at")
    public Instant gradedAt;
}
