package io.switchboard.channel;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A channel as an admin reads it, with its type's own settings beside the common ones; a
 * {@code token} and {@code signingSecret} only in the answer that made them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChannelView(
        UUID id,
        String type,
        String name,
        String greeting,
        String awayReply,
        boolean botAnswers,
        Instant createdAt,
        Instant updatedAt,
        @JsonIgnore Map<String, Object> typeSettings,
        @JsonIgnore Map<String, String> credentials) {

    @JsonAnyGetter
    public Map<String, Object> shown() {
        Map<String, Object> shown = new java.util.LinkedHashMap<>(typeSettings);
        shown.putAll(credentials);
        return shown;
    }
}
