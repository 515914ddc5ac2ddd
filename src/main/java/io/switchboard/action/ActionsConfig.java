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

    /** When to stop calling an action whose API keeps failing, and when to try it again. */
    Circuit circuit();

    interface Circuit {

        /** Calls of one action of one tenant in the rolling window its failure ratio is measured over. */
        @WithDefault("10")
        int requestVolume();

        /** Share of failed calls (no answer in time, unreachable, HTTP 5xx, not JSON) in the window that opens the circuit. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long an open circuit answers calls of the action with {@code circuit_open} before one trial call is let through. */
        @WithDefault("30s")
        Duration delay();
    }
}
