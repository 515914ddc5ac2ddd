package io.switchboard.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What a tenant file or the admin API declares of a tenant itself, validated by the layer that
 * read it. {@code sections} holds the features' settings, each written by the feature that owns
 * it; a section left out keeps the feature's default.
 */
public record TenantProfile(
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
        double minAnswerConfidence) {

    public TenantProfile {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedLinkDomains = List.copyOf(allowedLinkDomains);
        sections = Map.copyOf(sections);
    }
}
