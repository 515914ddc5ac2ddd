package io.switchboard.conversation;

import java.util.Optional;
import java.util.UUID;

/**
 * The channel a conversation came in through: its id and its type, and nothing else of it, so
 * conversation, assistant and hand-off code never depend on where a message came from.
 */
public record ChannelRef(UUID id, String type) {

    /** The type of every tenant's implicit channel, the widget. */
    public static final String WIDGET = "widget";

    /** A tenant's widget: its implicit channel, which has the tenant's id. */
    public static ChannelRef widget(UUID tenantId) {
        return new ChannelRef(tenantId, WIDGET);
    }

    /** The channel id a filter value names, empty when it names a type instead. */
    static Optional<UUID> idIn(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }
}
