package io.switchboard.model;

import java.util.List;
import java.util.UUID;

/**
 * A chat request: the model to use on the endpoint, the assembled messages and the knowledge
 * they are grounded in. {@code tenant} is the slug, for metrics and logs.
 */
public record ModelRequest(UUID tenantId, String tenant, String model, List<Turn> messages, Grounding grounding) {

    public ModelRequest {
        grounding = grounding == null ? Grounding.none() : grounding;
    }

    public ModelRequest withModel(String name) {
        return new ModelRequest(tenantId, tenant, name, messages, grounding);
    }

    public enum Role { SYSTEM, USER, ASSISTANT }

    public record Turn(Role role, String text) {
    }
}
