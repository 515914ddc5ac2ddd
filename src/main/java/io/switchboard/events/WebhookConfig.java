package io.switchboard.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How tenant webhooks are delivered. */
@ConfigMapping(prefix = "switchboard.webhooks")
public interface WebhookConfig {

    /** Attempts before a delivery is dead-lettered. */
    @WithDefault("8")
    int maxAttempts();

    /** Wait before the second attempt; it doubles after every failure, up to {@link #maxBackoff()}. */
    @WithDefault("10s")
    Duration backoff();

    @WithDefault("1h")
    Duration maxBackoff();

    /** Time for the tenant's server to answer one delivery. */
    @WithDefault("10s")
    Duration timeout();

    /** Loopback or private hosts ({@code host} or {@code host:port}) webhook URLs may use; all others are refused. */
    Optional<List<String>> allowedHosts();
}
