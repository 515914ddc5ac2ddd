package io.switchboard.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where events go, and how tenant webhooks receive them. */
@ConfigMapping(prefix = "switchboard.events")
public interface EventsConfig {

    /** Where events go: {@code in-process} (one replica) or {@code smallrye-kafka} (Kafka; needed for more than one replica). */
    String connector();

    /** Partitions of each event topic created at startup (existing topics are left alone). */
    int partitions();

    /** Replication factor of those topics; the broker's default when absent. */
    Optional<Short> replicationFactor();

    Webhooks webhooks();

    /** How tenant webhooks are delivered. */
    interface Webhooks {

        /** Attempts before a delivery is dead-lettered. */
        @WithDefault("8")
        int maxAttempts();

        /** Wait before the second attempt; it doubles after every failure, up to the longest wait. */
        @WithDefault("10s")
        Duration backoff();

        /** The longest wait between attempts. */
        @WithDefault("1h")
        Duration maxBackoff();

        /** Time for the tenant's server to answer one delivery. */
        @WithDefault("10s")
        Duration timeout();

        /** Loopback or private hosts ({@code host} or {@code host:port}) webhook URLs may use; all others are refused. */
        Optional<List<String>> allowedHosts();
    }
}
