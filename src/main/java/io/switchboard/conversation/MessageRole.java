package io.switchboard.conversation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Who wrote a message; a {@code NOTE} is an internal note between agents, never shown to the customer or a model. */
public enum MessageRole {
    CUSTOMER,
    BOT,
    AGENT,
    SYSTEM,
    NOTE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
