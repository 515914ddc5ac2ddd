package io.switchboard.tenant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits on password guessing, held across replicas. */
@ConfigMapping(prefix = "switchboard.login")
public interface LoginConfig {

    /** Failed logins of one username per {@link #failureWindow()}; then it is refused, even with the right password. */
    @WithDefault("10")
    int failuresPerAccount();

    /** Failed logins from one source address per {@link #failureWindow()}; high enough for an office behind one address. */
    @WithDefault("100")
    int failuresPerAddress();

    /** The period over which failures are counted (a refused account or address is free again after it). */
    @WithDefault("15m")
    Duration failureWindow();
}
