package io.switchboard.model;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A chat request: the model to use on the endpoint, the assembled messages and the knowledge
 * they are grounded in. {@code tenant} is the slug, for metrics and logs; {@code source} says
 * whether a bot turn or the tenant's own API call asked, for metering. {@code maxOutputTokens}
 * (null: the model's own limit) is sent to the model and enforced on what it streams back.
 * {@code streamed} is false when the caller takes only the whole answer (a non-streaming API
 * call): the model is then asked for it in one response, as the caller asked us, which spares
 * both sides an event per token; only the total timeout applies, as no token arrives before it.
 */
public record ModelRequest(
        UUID tenantId,
        String tenant,
        Source source,
        String model,
        List<Turn> messages,
        Grounding grounding,
        Integer maxOutputTokens,
        boolean streamed) {

    public ModelRequest {
        grounding = grounding == null ? Grounding.none() : grounding;
    }

    public ModelRequest withModel(String name) {
        return new ModelRequest(tenantId, tenant, source, name, messages, grounding, maxOutputTokens, streamed);
    }

    public enum Role {
        SYSTEM,
        USER,
        ASSISTANT
    }

    /**
     * Who asked: the assistant in a conversation, the tenant through the OpenAI-compatible API, or
     * a replay evaluation of a candidate model.
     */
    public enum Source {
        CONVERSATION,
        API,
        EVALUATION;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Turn(Role role, String text) {}
}
