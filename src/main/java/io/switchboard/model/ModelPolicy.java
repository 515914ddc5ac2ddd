package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Which models answer for a tenant: the primary, then fallbacks in order; a monthly budget;
 * where the models may run ({@code self-hosted} keeps every turn on self-hosted endpoints);
 * whether conversations already open keep the policy they started with ({@code keep}, the
 * default) or move to this one ({@code switch}); and optionally a canary, a candidate model
 * that answers a share of new conversations until it is promoted or rolled back.
 */
public record ModelPolicy(
        @NotNull(message = "is required") @Valid ModelRef primary,
        @Size(max = 5) List<@NotNull @Valid ModelRef> fallbacks,
        @Valid Budget budget,
        Residency residency,
        OpenConversations openConversations,
        @Valid Canary canary) {

    public ModelPolicy {
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
        residency = residency == null ? Residency.ANY : residency;
        openConversations = openConversations == null ? OpenConversations.KEEP : openConversations;
    }

    public ModelPolicy(
            ModelRef primary,
            List<ModelRef> fallbacks,
            Budget budget,
            Residency residency,
            OpenConversations openConversations) {
        this(primary, fallbacks, budget, residency, openConversations, null);
    }

    /** Every model the policy names, by the field that names it: the primary, the fallbacks, the canary. */
    public java.util.Map<String, ModelRef> modelsByField() {
        java.util.Map<String, ModelRef> models = new java.util.LinkedHashMap<>();
        models.put("primary", primary);
        for (int i = 0; i < fallbacks.size(); i++) {
            models.put("fallbacks[" + i + "]", fallbacks.get(i));
        }
        if (canary != null) {
            models.put("canary.model", canary.model());
        }
        return models;
    }

    /** Whether a new conversation goes to the canary model: with the canary's chance, never without one. */
    public boolean drawsCanary() {
        return canary != null
                && java.util.concurrent.ThreadLocalRandom.current().nextInt(100) < canary.percent();
    }

    /** What answers in a conversation drawn for the canary: its model, with the primary and fallbacks behind it. */
    public ModelPolicy canaryArm() {
        List<ModelRef> behind =
                candidates().stream().filter(ref -> !ref.equals(canary.model())).toList();
        return new ModelPolicy(canary.model(), behind, budget, residency, openConversations, null);
    }

    /** The canary becomes the primary; the old primary and fallbacks stay behind it. */
    public ModelPolicy promoted() {
        return canaryArm();
    }

    /** The same policy without its canary. */
    public ModelPolicy withoutCanary() {
        return new ModelPolicy(primary, fallbacks, budget, residency, openConversations, null);
    }

    /**
     * A candidate model answering {@code percent} of new conversations (each keeps the model it
     * was drawn for; a canary turn that fails falls back to the primary). It is rolled back
     * automatically when it does worse than the primary beyond {@code rollbackWhen}.
     */
    public record Canary(
            @NotNull(message = "is required") @Valid ModelRef model,

            @NotNull(message = "is required")
            @Min(value = 1, message = "must be at least 1")
            @Max(value = 50, message = "must be at most 50")
            Integer percent,

            @Valid RollbackWhen rollbackWhen) {

        public Canary {
            rollbackWhen = rollbackWhen == null ? RollbackWhen.DEFAULTS : rollbackWhen;
        }
    }

    /**
     * When a canary is rolled back, comparing its conversations with the primary's since it
     * started, once it has given {@code minAnswers} answers: more than {@code errorRate} of its
     * turns failed (fell back or handed off for a model error); its escalation rate or share of
     * answers marked unhelpful is higher than the primary's by more than the increase; its 95th
     * percentile latency or cost per answer is more than the ratio times the primary's (no cost
     * limit unless set).
     */
    public record RollbackWhen(
            @DecimalMin("0") @DecimalMax("1") Double errorRate,
            @DecimalMin("0") @DecimalMax("1") Double escalationRateIncrease,
            @DecimalMin("0") @DecimalMax("1") Double unhelpfulRateIncrease,
            @DecimalMin("1") Double latencyP95Ratio,
            @DecimalMin("1") Double costPerAnswerRatio,
            @Min(value = 1, message = "must be at least 1") Integer minAnswers) {

        static final RollbackWhen DEFAULTS = new RollbackWhen(null, null, null, null, null, null);

        public RollbackWhen {
            errorRate = errorRate == null ? 0.2 : errorRate;
            escalationRateIncrease = escalationRateIncrease == null ? 0.15 : escalationRateIncrease;
            unhelpfulRateIncrease = unhelpfulRateIncrease == null ? 0.15 : unhelpfulRateIncrease;
            latencyP95Ratio = latencyP95Ratio == null ? 2.0 : latencyP95Ratio;
            minAnswers = minAnswers == null ? 20 : minAnswers;
        }
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
        DEGRADE,
        HANDOFF;

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
        KEEP,
        SWITCH;

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
        ANY,
        SELF_HOSTED;

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
