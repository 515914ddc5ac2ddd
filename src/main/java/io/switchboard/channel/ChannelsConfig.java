package io.switchboard.channel;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Channels beside the widget: where their callbacks may go and how fast their customers may write. */
@ConfigMapping(prefix = "switchboard.channels")
public interface ChannelsConfig {

    /** Loopback or private hosts ({@code host} or {@code host:port}) API channel callbacks may use; all others are refused. */
    Optional<List<String>> allowedHosts();

    /** Messages per minute a channel takes in. */
    RateLimit rateLimit();

    interface RateLimit {

        /** From one contact of a channel, across replicas. */
        @WithDefault("60")
        int messagesPerContact();

        /** Into one channel, across replicas. */
        @WithDefault("1200")
        int messagesPerChannel();
    }
}
