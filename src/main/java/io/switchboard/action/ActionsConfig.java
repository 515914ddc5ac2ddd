package io.switchboard.action;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How the platform calls tenants' APIs for their actions. */
@ConfigMapping(prefix = "switchboard.actions")
public interface ActionsConfig {

    /** Loopback or private hosts ({@code host} or {@code host:port}) action URLs may use; all others are refused. */
    Optional<List<String>> allowedHosts();

    /** How long a write waits for the customer to confirm or decline it before it expires. */
    @WithDefault("15m")
    Duration confirmationTtl();
}
