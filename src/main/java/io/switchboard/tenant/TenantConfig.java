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

        /**
         * Failed logins of one username per window; then it is refused, even with the right password,
         * until the window has passed.
         */
        @WithDefault("10")
        int failuresPerAccount();

        /** Failed logins from one client address per window, for any usernames. */
        @WithDefault("100")
        int failuresPerAddress();

        /** The window of the two failed-login limits. */
        @WithDefault("15m")
        Duration failureWindow();
    }

    /** Credentials that exist after every start, so a new platform can be reached at all. */
    interface Bootstrap {

        /**
         * When set ({@code sbk_} and at least 20 characters), a platform-admin API key with this value
         * exists after startup; a bootstrap key of an earlier value, or of a setting since removed, is
         * revoked at startup (platform keys are listed, created and revoked at {@code /api/v1/api-keys}).
         */
        Optional<String> apiKey();

        /** When set (12 characters to 72 bytes), the platform account {@code admin} has this password after startup. */
        Optional<String> adminPassword();

        /**
         * Whether the platform account {@code admin} exists at all: {@code false} removes it at startup
         * (its sessions end with it), once platform API keys or Keycloak have taken its place.
         */
        @WithDefault("true")
        boolean adminEnabled();
    }

    /** Creating and removing tenants' groups and first admins in Keycloak (the keycloak profile). */
    interface Keycloak {

        /** Whether creating and deleting tenants provisions their groups in Keycloak; on under the keycloak profile. */
        @WithDefault("false")
        boolean provisioning();

        /** The Keycloak realm tenants are provisioned in. */
        @WithDefault("switchboard")
        String realm();
    }
}
