package io.switchboard.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the model stub and puts three endpoints in the catalogue: {@code stub}, which serves
 * every stub model with short timeouts, {@code hosted-stub}, the same server declared as a
 * hosted provider, and {@code down}, a port nothing listens on.
 */
public class ModelStubResource implements QuarkusTestResourceLifecycleManager {

    public static final long FIRST_TOKEN_TIMEOUT_MILLIS = 1500;
    public static final long TOTAL_TIMEOUT_MILLIS = 3000;
    /** Prices of the stub's {@code echo} model, in dollars per million tokens. */
    public static final String ECHO_INPUT_USD_PER_MTOK = "1.50";
    public static final String ECHO_OUTPUT_USD_PER_MTOK = "6.00";

    private ModelStub stub;

    @Override
    public Map<String, String> start() {
        try {
            stub = ModelStub.start();
            Map<String, String> config = new HashMap<>(Map.of(
                    "switchboard.model.allowed-hosts", "127.0.0.1",
                    "switchboard.model.endpoints.stub.base-url", stub.baseUrl(),
                    "switchboard.model.endpoints.stub.models", String.join(",", ModelStub.MODELS),
                    "switchboard.model.endpoints.stub.first-token-timeout", FIRST_TOKEN_TIMEOUT_MILLIS + "ms",
                    "switchboard.model.endpoints.stub.total-timeout", TOTAL_TIMEOUT_MILLIS + "ms",
                    "switchboard.model.endpoints.down.base-url", "http://127.0.0.1:" + closedPort() + "/v1",
                    "switchboard.model.endpoints.down.connect-timeout", "1s",
                    "switchboard.model.endpoints.hosted-stub.base-url", stub.baseUrl(),
                    "switchboard.model.endpoints.hosted-stub.kind", "hosted",
                    "switchboard.model.endpoints.hosted-stub.models", "echo"));
            config.put("switchboard.model.endpoints.down.models", "any-model");
            config.put("switchboard.model.endpoints.probe-stub.base-url", stub.baseUrl());
            config.put("switchboard.model.endpoints.probe-stub.models", "echo,error-500,ghost");
            config.put("switchboard.model.endpoints.stub.prices.echo.input", ECHO_INPUT_USD_PER_MTOK);
            config.put("switchboard.model.endpoints.stub.prices.echo.output", ECHO_OUTPUT_USD_PER_MTOK);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void stop() {
        if (stub != null) {
            stub.close();
        }
    }
}
