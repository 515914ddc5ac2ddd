package io.switchboard.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the model stub and puts these endpoints in the catalogue: {@code stub}, which serves
 * every stub model with short timeouts, {@code hosted-stub}, the same server declared as a
 * hosted provider, {@code down}, a port nothing listens on, {@code tiny-gguf}, an in-process
 * model of random weights ({@link TinyGguf}) serving {@link #TINY_GGUF_MODEL}, and for probes
 * {@code probe-stub} and {@link #CAPABLE_STUB}, the stub's models that differ in what they do
 * beyond text (only tests that probe it first route to it, so other tests' models stay unprobed).
 */
public class ModelStubResource implements QuarkusTestResourceLifecycleManager {

    public static final long FIRST_TOKEN_TIMEOUT_MILLIS = 1500;
    public static final long TOTAL_TIMEOUT_MILLIS = 3000;
    /** Prices of the stub's {@code echo} model, in dollars per million tokens. */
    public static final String ECHO_INPUT_USD_PER_MTOK = "1.50";

    public static final String ECHO_OUTPUT_USD_PER_MTOK = "6.00";
    /** Prices of the stub's {@code cheap} model. */
    public static final String CHEAP_INPUT_USD_PER_MTOK = "0.10";

    public static final String CHEAP_OUTPUT_USD_PER_MTOK = "0.40";
    /** Price of the stub's {@code embed} model's input, in dollars per million tokens. */
    public static final String EMBED_INPUT_USD_PER_MTOK = "20.00";
    /**
     * Calls over which a circuit measures failures, as in production: tests that fail a model once
     * or twice never open its circuit; the circuit test fails one this many times.
     */
    public static final int CIRCUIT_REQUEST_VOLUME = 10;
    /** Model calls a tenant may have in flight at once in tests. */
    public static final int TENANT_CONCURRENCY = 3;

    public static final String TINY_GGUF_ENDPOINT = "tiny-gguf";
    public static final String CAPABLE_STUB = "capable-stub";
    public static final String TINY_GGUF_MODEL = "tiny-test";

    private ModelStub stub;

    @Override
    public Map<String, String> start() {
        try {
            stub = ModelStub.start();
            Map<String, String> config = new HashMap<>(Map.of(
                    "switchboard.model.allowed-hosts",
                    "127.0.0.1",
                    "switchboard.model.endpoints.stub.base-url",
                    stub.baseUrl(),
                    "switchboard.model.endpoints.stub.models",
                    String.join(",", ModelStub.MODELS),
                    "switchboard.model.endpoints.stub.first-token-timeout",
                    FIRST_TOKEN_TIMEOUT_MILLIS + "ms",
                    "switchboard.model.endpoints.stub.total-timeout",
                    TOTAL_TIMEOUT_MILLIS + "ms",
                    "switchboard.model.endpoints.down.base-url",
                    "http://127.0.0.1:" + closedPort() + "/v1",
                    "switchboard.model.endpoints.down.connect-timeout",
                    "1s",
                    "switchboard.model.endpoints.hosted-stub.base-url",
                    stub.baseUrl(),
                    "switchboard.model.endpoints.hosted-stub.kind",
                    "hosted",
                    "switchboard.model.endpoints.hosted-stub.models",
                    "echo"));
            config.put("switchboard.model.endpoints.down.models", "any-model");
            config.put("switchboard.model.endpoints.probe-stub.base-url", stub.baseUrl());
            config.put("switchboard.model.endpoints.probe-stub.models", "echo,error-500,ghost");
            config.put("switchboard.model.endpoints." + CAPABLE_STUB + ".base-url", stub.baseUrl());
            config.put(
                    "switchboard.model.endpoints." + CAPABLE_STUB + ".models",
                    "tool-caller,no-tools,text-only,echo,embed");
            config.put("switchboard.model.endpoints.stub.prices.echo.input", ECHO_INPUT_USD_PER_MTOK);
            config.put("switchboard.model.endpoints.stub.prices.echo.output", ECHO_OUTPUT_USD_PER_MTOK);
            config.put("switchboard.model.endpoints.stub.prices.cheap.input", CHEAP_INPUT_USD_PER_MTOK);
            config.put("switchboard.model.endpoints.stub.prices.cheap.output", CHEAP_OUTPUT_USD_PER_MTOK);
            config.put("switchboard.model.endpoints.stub.prices.embed.input", EMBED_INPUT_USD_PER_MTOK);
            config.put("switchboard.model.endpoints.stub.prices.embed.output", "0");
            config.put("switchboard.model.circuit.request-volume", String.valueOf(CIRCUIT_REQUEST_VOLUME));
            config.put("switchboard.model.circuit.delay", "1s");
            config.put("switchboard.model.tenant-concurrency", String.valueOf(TENANT_CONCURRENCY));
            java.nio.file.Path tinyModel =
                    java.nio.file.Files.createTempDirectory("switchboard-gguf").resolve(TINY_GGUF_MODEL + ".gguf");
            TinyGguf.write(tinyModel);
            config.put("switchboard.model.endpoints." + TINY_GGUF_ENDPOINT + ".provider", "local-gguf");
            config.put("switchboard.model.endpoints." + TINY_GGUF_ENDPOINT + ".model-file", tinyModel.toString());
            config.put("switchboard.model.endpoints." + TINY_GGUF_ENDPOINT + ".workers", "2");
            config.put("switchboard.model.endpoints." + TINY_GGUF_ENDPOINT + ".context-size", "4096");
            // Random weights write random text; a fixed seed keeps it free of what the output guard holds back (links,
            // tags).
            config.put("switchboard.model.endpoints." + TINY_GGUF_ENDPOINT + ".seed", "7");
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
