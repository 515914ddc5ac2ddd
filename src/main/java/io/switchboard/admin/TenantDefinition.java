package io.switchboard.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.assistant.ConsumptionLimits;
import io.switchboard.assistant.RequiredCitations;
import io.switchboard.handoff.EscalationRules;
import io.switchboard.knowledge.ArticleDefinition;
import io.switchboard.model.ModelPolicy;
import io.switchboard.tenant.TenantProfile;
import io.switchboard.tenant.WidgetLook;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tenant as declared (allowedEndpoints: the catalogue endpoints the operator lets it use; all when absent) in {@code tenants-config/<slug>.yaml} (and, later, through the admin API).
 * Applying the same definition twice changes nothing.
 */
public record TenantDefinition(
        @NotBlank @Pattern(regexp = SLUG, message = "must be 1-63 lower-case letters, digits or inner hyphens")
        String slug,

        @NotBlank @Size(max = 200) String name,

        @Size(max = 50)
        List<
                        @NotNull
                        @Pattern(
                                regexp = ORIGIN,
                                message =
                                        "must be an origin such as https://shop.example (scheme, host, optional port; no path)")
                        String>
                allowedOrigins,

        @Valid Assistant assistant,
        @NotNull @Valid ModelPolicy model,
        @Size(max = 50) List<@NotNull String> allowedEndpoints,
        @Valid EscalationRules escalation,
        @Valid Widget widget,
        @Valid Knowledge knowledge) {

    public static final String SLUG = "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$";
    public static final String ORIGIN = "^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?$";
    public static final String DOMAIN =
            "^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$";
    public static final String DOMAIN_MESSAGE =
            "must be a domain such as help.example.com (no scheme, path or wildcard; subdomains are included)";

    /** The tenant's own part of the definition, with the escalation rules and limits as the sections their features read. */
    public TenantProfile profile() {
        Map<String, JsonNode> sections = Map.of(
                ConsumptionLimits.SECTION.name(), ConsumptionLimits.SECTION.write(assistant.limits()),
                RequiredCitations.SECTION.name(), RequiredCitations.SECTION.write(assistant.requireCitations()),
                EscalationRules.SECTION.name(), EscalationRules.SECTION.write(escalation));
        return new TenantProfile(
                slug,
                name,
                allowedOrigins,
                assistant.persona(),
                assistant.instructions(),
                assistant.greeting(),
                assistant.allowedLinkDomains(),
                sections,
                widget.identitySecretEnv(),
                widget.requireVerifiedIdentity(),
                widget.look(),
                knowledge.minConfidence());
    }

    public TenantDefinition {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        assistant = assistant == null ? new Assistant(null, null, null) : assistant;
        knowledge = knowledge == null ? new Knowledge(null, null, null) : knowledge;
        escalation = escalation == null ? EscalationRules.none() : escalation;
        widget = widget == null ? new Widget(null, false, null) : widget;
    }

    /**
     * Verified identity: {@code identitySecretEnv} names the environment variable holding the
     * secret the tenant's server signs user ids with; {@code requireVerifiedIdentity} refuses
     * anonymous customers.
     */
    public record Widget(
            @Pattern(
                    regexp = "^[A-Za-z_][A-Za-z0-9_.-]{0,199}$",
                    message = "must be the name of an environment variable")
            String identitySecretEnv,

            Boolean requireVerifiedIdentity,
            @Valid WidgetLook look) {

        public Widget {
            requireVerifiedIdentity = Boolean.TRUE.equals(requireVerifiedIdentity);
            look = look == null ? WidgetLook.DEFAULT : look;
        }
    }

    /**
     * What the assistant is and may do. {@code allowedLinkDomains}: domains (and their
     * subdomains) replies may link to besides the tenant's origins and cited articles;
     * {@code requireCitations}: a language model's reply that cites no knowledge passage is not
     * shown (the retrieval answer or a person instead).
     */
    public record Assistant(
            @Size(max = 2000) String persona,
            @Size(max = 20000) String instructions,
            @Size(max = 1000) String greeting,

            @Size(max = 50)
            List<@NotNull @Pattern(regexp = DOMAIN, message = DOMAIN_MESSAGE) String> allowedLinkDomains,

            @Valid ConsumptionLimits limits,
            Boolean requireCitations) {

        public Assistant {
            persona = persona == null ? "" : persona.strip();
            instructions = instructions == null ? "" : instructions.strip();
            greeting = greeting == null ? "" : greeting.strip();
            allowedLinkDomains = allowedLinkDomains == null ? List.of() : lowerCase(allowedLinkDomains);
            limits = limits == null ? ConsumptionLimits.DEFAULT : limits;
            requireCitations = Boolean.TRUE.equals(requireCitations);
        }

        public Assistant(String persona, String instructions, String greeting) {
            this(persona, instructions, greeting, null, null, null);
        }

        /** Domain names compare case-insensitively; they are kept in lower case. */
        public static List<String> lowerCase(List<String> domains) {
            return domains.stream()
                    .map(domain -> domain.toLowerCase(Locale.ROOT))
                    .toList();
        }
    }

    /**
     * Where the tenant's help articles come from: a directory of markdown files (relative to
     * the tenants-config directory) and/or articles written inline.
     */
    public record Knowledge(
            @Size(max = 300) String directory,
            @Size(max = 1000) List<@NotNull @Valid ArticleDefinition> articles,
            @DecimalMin("0.0") @DecimalMax("1.0") Double minConfidence) {

        /**
         * Below this match (the mean similarity of the question to the best article and to its
         * best passage), the assistant hands off instead of answering. On the demo question set
         * every off-topic question scored under 0.265 and all but one on-topic one above 0.30.
         */
        public static final double DEFAULT_MIN_CONFIDENCE = 0.27;

        public Knowledge {
            articles = articles == null ? List.of() : List.copyOf(articles);
            minConfidence = minConfidence == null ? DEFAULT_MIN_CONFIDENCE : minConfidence;
        }
    }
}
