package io.switchboard.tenant;

import io.switchboard.assistant.ConsumptionLimits;
import io.switchboard.handoff.EscalationRules;
import io.switchboard.model.ModelPolicy;
import java.util.List;
import java.util.UUID;

/**
 * A read-only snapshot of a tenant, safe to pass between features and threads.
 * {@code allowedEndpoints} is null when the tenant may use every catalogue endpoint.
 */
public record TenantSettings(
        UUID id,
        String slug,
        String name,
        List<String> allowedOrigins,
        String persona,
        String instructions,
        String greeting,
        List<String> allowedLinkDomains,
        ConsumptionLimits limits,
        ModelPolicy modelPolicy,
        int modelPolicyVersion,
        List<String> allowedEndpoints,
        EscalationRules escalation,
        String identitySecretRef,
        boolean requireVerifiedIdentity,
        WidgetLook widgetLook,
        double minAnswerConfidence,
        int configVersion,
        String canary) {

    static TenantSettings of(Tenant tenant) {
        return new TenantSettings(tenant.id, tenant.slug, tenant.name, List.copyOf(tenant.allowedOrigins),
                tenant.persona, tenant.instructions, tenant.greeting, List.copyOf(tenant.allowedLinkDomains), tenant.limits, tenant.modelPolicy, tenant.modelPolicyVersion,
                tenant.allowedEndpoints == null ? null : List.copyOf(tenant.allowedEndpoints), tenant.escalation, tenant.identitySecretRef,
                tenant.requireVerifiedIdentity, tenant.widgetLook, tenant.minAnswerConfidence,
                tenant.configVersion, tenant.canary);
    }
}
