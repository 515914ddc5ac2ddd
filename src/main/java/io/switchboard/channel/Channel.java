package io.switchboard.channel;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/** A channel a tenant added beside its widget; its type ({@link ChannelType}) reads and keeps {@link #settings}. */
@Entity
@Table(name = "channel")
public class Channel {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    public UUID id;

    @Column(nullable = false, updatable = false)
    public String type;

    @Column(nullable = false)
    public String name;

    /** The type's own settings (an API channel's callback URL); never a secret. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> settings;

    /** SHA-256 of the channel's bearer token, for types that take messages with one. */
    @Column(name = "token_hash")
    public String tokenHash;

    /** The owned webhook that carries the channel's callbacks, for types that send them. */
    @Column(name = "webhook_id")
    public UUID webhookId;

    /** Said when a conversation starts; null: the tenant's greeting. */
    public String greeting;

    /**
     * Said instead of the platform's notice when a conversation goes to a person outside business
     * hours ({@code {back}}: when the team returns); null: the platform's notice.
     */
    @Column(name = "away_reply")
    public String awayReply;

    /** False: the bot never answers here, every conversation goes straight to a person. */
    @Column(name = "bot_answers", nullable = false)
    public boolean botAnswers;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
