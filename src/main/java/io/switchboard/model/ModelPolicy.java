package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Which models answer for a tenant: the primary, then fallbacks in order; a monthly budget;
 * where the models may run ({@code self-hosted} keeps every turn on self-hosted endpoints); and
 * whether conversations already open keep the policy they started with ({@code keep}, the
 * default) or move to this one ({@code switch}).
 */
public record ModelPolicy(
        @NotNull(message = "is required") @Valid ModelRef primary,
        @Size(max = 5) List<@NotNull @Valid ModelRef> fallbacks,
        @Valid Budget budget,
        Residency residency,
        OpenConversations openConversations) {

    public ModelPolicy {
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
        residency = residency == null ? Residency.ANY : residency;
        openConversations = openConversations == null ? OpenConversations.KEEP : openConversations;
    }

    public static ModelPolicy of(ModelRef primary) {
        return new ModelPolicy(primary, List.of(), null, Residency.ANY, OpenConversations.KEEP);
    }

    /** The models to try, in order. */
    public List<ModelRef> candidates() {
        return Stream.concat(Stream.of(primary), fallbacks.stream()).toList();
    }

    /** A monthly spending ceiling and what happens beyond it. Stored with the policy; metering enforces it. */
    public record Budget(@NotNull @DecimalMin("0") BigDecimal monthlyUsd, OnExceeded onExceeded) {

        public Budget {
            onExceeded = onExceeded == null ? OnExceeded.DEGRADE : onExceeded;
        }
    }

    public enum OnExceeded {
        DEGRADE, HANDOFF;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static OnExceeded of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    public enum OpenConversations {
        KEEP, SWITCH;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static OpenConversations of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    public enum Residency {
        ANY, SELF_HOSTED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @JsonCreator
        public static Residency of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }
}
