package io.switchboard.conversation;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** Conversations' settings. */
@ConfigMapping(prefix = "switchboard.conversations")
public interface ConversationConfig {

    /**
     * A widget's conversation token stops working ({@code 404}) once its conversation has gone this long
     * without a message; the widget then starts a new conversation.
     */
    Duration tokenIdleLifetime();
}
