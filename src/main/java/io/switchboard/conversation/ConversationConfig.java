package io.switchboard.conversation;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** Conversations' settings. */
@ConfigMapping(prefix = "switchboard.conversations")
public interface ConversationConfig {

    /** A conversation token opens nothing once its conversation has been idle this long; the widget then starts anew. */
    Duration tokenIdleLifetime();
}
