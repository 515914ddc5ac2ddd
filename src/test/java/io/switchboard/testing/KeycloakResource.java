package io.switchboard.testing;

import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.switchboard.platform.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

/**
 * A real Keycloak (keycloak-quarkus-dist, unpacked from Maven by the build) in dev mode with the
 * repository's realm export imported, on free ports, for the tests of production identity.
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    public static final String REALM_URL = "test.keycloak.realm-url";
    public static final String ADMIN_PASSWORD = "test.keycloak.admin-password";
    /** The console client's secret in the realm export (a dev value, replaced in production). */
    static final String CONSOLE_SECRET = "change-me-console-secret";

    static final String PROVISIONER_SECRET = "change-me-provisioner-secret";
    private static final Duration STARTUP = Duration.ofSeconds(240);

    private Process keycloak;

    @Override
    public Map<String, String> start() {
        Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-unpacked-by-maven"));
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException(
                    "No Keycloak at " + home + ": the build unpacks it (mvn generate-test-resources)");
        }
        try {
            Path imports = Files.createDirectories(home.resolve("data/import"));
            Files.copy(
                    Path.of("keycloak/switchboard-realm.json"),
                    imports.resolve("switchboard-realm.json"),
                    StandardCopyOption.REPLACE_EXISTING);
            int port = freePort();
            String adminPassword = Secrets.newSecret("kc_");
            ProcessBuilder builder = new ProcessBuilder(
                            home.resolve("bin/kc.sh").toString(),
                            "start-dev",
                            "--http-port=" + port,
                            "--http-management-port=" + freePort(),
                            "--import-realm",
                            "--db=dev-mem")
                    .redirectErrorStream(true)
                    .redirectOutput(Files.createDirectories(Path.of("target"))
                            .resolve("keycloak.log")
                            .toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
            keycloak = builder.start();
            String realm = "http://localhost:" + port + "/realms/switchboard";
            awaitReady(realm);
            return Map.of(
                    "SWITCHBOARD_OIDC_URL",
                    realm,
                    "SWITCHBOARD_OIDC_CONSOLE_SECRET",
                    CONSOLE_SECRET,
                    "SWITCHBOARD_KEYCLOAK_URL",
                    "http://localhost:" + port,
                    "SWITCHBOARD_KEYCLOAK_PROVISIONER_SECRET",
                    PROVISIONER_SECRET,
                    REALM_URL,
                    realm,
                    ADMIN_PASSWORD,
                    adminPassword);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(String realm) {
        await().atMost(STARTUP)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .failFast("Keycloak exited; see target/keycloak.log", () -> !keycloak.isAlive())
                .until(() -> {
                    HttpURLConnection connection =
                            (HttpURLConnection) URI.create(realm + "/.well-known/openid-configuration")
                                    .toURL()
                                    .openConnection();
                    connection.setConnectTimeout(1000);
                    connection.setReadTimeout(2000);
                    return connection.getResponseCode() == 200;
                });
    }

    @Override
    public void stop() {
        if (keycloak != null) {
            keycloak.descendants().forEach(ProcessHandle::destroy);
            keycloak.destroy();
            try {
                keycloak.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
