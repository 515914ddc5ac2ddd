package io.switchboard.widget;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the public widget API, per replica. */
@ConfigMapping(prefix = "switchboard.widget.rate-limit")
public interface WidgetConfig {

    /** Messages one conversation may send per minute. */
    @WithDefault("20")
    int messagesPerConversation();

    /** Messages all of a tenant's customers together may send per minute. */
    @WithDefault("1200")
    int messagesPerTenant();

    /** Conversations a tenant's widget may start per minute. */
    @WithDefault("300")
    int conversationsPerTenant();
}
