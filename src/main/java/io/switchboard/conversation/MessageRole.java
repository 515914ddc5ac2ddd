package io.switchboard.conversation;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum MessageRole {
    CUSTOMER, BOT, AGENT, SYSTEM;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
