package io.switchboard.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.switchboard.platform.Secrets;
import java.util.Map;

/** Fresh secrets per test run — the bootstrap platform key, the admin's password and a widget identity secret — never committed ones. */
public class PlatformKeyResource implements QuarkusTestResourceLifecycleManager {

    /** The setting a test tenant names as its widget identity secret (an environment variable in production). */
    public static final String WIDGET_SECRET_SETTING = "test.widget.secret";

    @Override
    public Map<String, String> start() {
        return Map.of(
                "switchboard.tenant.bootstrap.api-key",
                Secrets.newSecret("sbk_"),
                "switchboard.tenant.bootstrap.admin-password",
                Secrets.newSecret("pw_"),
                WIDGET_SECRET_SETTING,
                Secrets.newSecret("widget_"));
    }

    @Override
    public void stop() {
        // Nothing to release: the key dies with the test database.
    }
}
