package io.switchboard.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The latest probe of one catalogue model (platform data, not tenant-owned). */
@Entity
@Table(name = "model_probe")
public class ModelProbe {

    @Embeddable
    public record Key(
            @Column(name = "endpoint_id") String endpoint,
            @Column(name = "model") String model) implements Serializable {}

    @EmbeddedId
    public Key key;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public ProbeResult result;

    @Column(nullable = false)
    public boolean passed;

    @Column(name = "probed_at", nullable = false)
    public Instant probedAt;

    /** The result's capabilities again, for {@link ModelCapabilities} to read without the JSON; null: not known. */
    public Boolean tools;

    @Column(name = "json_mode")
    public Boolean jsonMode;

    public Boolean images;
}
