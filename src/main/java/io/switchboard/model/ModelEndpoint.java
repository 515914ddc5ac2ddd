package io.switchboard.model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** One endpoint of the catalogue, as a provider factory receives it. */
public record ModelEndpoint(
        String id,
        String providerId,
        String kind,
        Optional<String> baseUrl,
        Optional<String> apiKeyEnv,
        List<String> models,
        Duration connectTimeout,
        Duration firstTokenTimeout,
        Duration totalTimeout) {

    public boolean serves(String model) {
        return models.isEmpty() || models.contains(model);
    }

    public boolean selfHosted() {
        return "self-hosted".equals(kind);
    }
}
