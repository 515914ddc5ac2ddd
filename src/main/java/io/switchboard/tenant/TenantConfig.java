package io.switchboard.tenant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Who may log in and how: login limits, the bootstrap credentials, provisioning in Keycloak. */
@ConfigMapping(prefix = "switchboard.tenant")
public interface TenantConfig {

    Login login();

    Bootstrap bootstrap();

    Keycloak keycloak();

    /** Failed logins, counted in buckets every replica shares. */
    interface Login {

        /** Failed logins of one username per window; then it is refused, even with the right password. */
        @WithDefault("10")
        int failuresPerAccount();

        /** Failed logins from one client address per window, for any usernames. */
        @WithDefault("100")
        int failuresPerAddress();

        @WithDefault("15m")
        Duration failureWindow();
    }

    /** Credentials that exist after every start, so a new platform can be reached at all. */
    interface Bootstrap {

        /** A platform-admin API key with this value; one of an earlier value is revoked. */
        Optional<String> apiKey();

        /** The password of the platform account {@code admin}. */
        Optional<String> adminPassword();

        /** Whether the platform account {@code admin} exists at all. */
        @WithDefault("true")
        boolean adminEnabled();
    }

    /** Creating and removing tenants' groups and first admins in Keycloak (the keycloak profile). */
    interface Keycloak {

        @WithDefault("false")
        boolean provisioning();

        @WithDefault("switchboard")
        String realm();
    }
}
