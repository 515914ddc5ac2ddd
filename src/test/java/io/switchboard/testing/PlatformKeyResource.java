package io.switchboard.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.switchboard.platform.Secrets;
import java.util.Map;

/** A fresh bootstrap platform key per test run (SWITCHBOARD_BOOTSTRAP_API_KEY), never a committed one. */
public class PlatformKeyResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("switchboard.bootstrap.api-key", Secrets.newSecret("sbk_"));
    }

    @Override
    public void stop() {
        // Nothing to release: the key dies with the test database.
    }
}
