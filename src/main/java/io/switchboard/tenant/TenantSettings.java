package io.switchboard.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A read-only snapshot of a tenant, safe to pass between features and threads. */
public record TenantSettings(
        UUID id,
        String slug,
        String name,
        List<String> allowedOrigins,
        String persona,
        String instructions,
        String greeting,
        List<String> allowedLinkDomains,
        Map<String, JsonNode> sections,
        String identitySecretRef,
        boolean requireVerifiedIdentity,
        WidgetLook widgetLook,
        double minAnswerConfidence,
        int configVersion,
        String canary) {

    static TenantSettings of(Tenant tenant) {
        return new TenantSettings(
                tenant.id,
                tenant.slug,
                tenant.name,
                List.copyOf(tenant.allowedOrigins),
                tenant.persona,
                tenant.instructions,
                tenant.greeting,
                List.copyOf(tenant.allowedLinkDomains),
                Map.copyOf(tenant.sections),
                tenant.identitySecretRef,
                tenant.requireVerifiedIdentity,
                tenant.widgetLook,
                tenant.minAnswerConfidence,
                tenant.configVersion,
                tenant.canary);
    }

    /**
     * The language to write to a customer in: theirs when their conversation knows it, else the
     * language of the tenant's widget.
     */
    public String customerLanguage(String known) {
        return known != null ? known : widgetLook.language();
    }

    /** A feature's settings, as the feature that owns them reads them. */
    public <T> T section(TenantSection<T> section) {
        return section.read(sections);
    }
}
