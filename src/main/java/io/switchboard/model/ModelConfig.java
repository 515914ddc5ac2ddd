package io.switchboard.model;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The operator's catalogue of model endpoints and the platform's default model. */
@ConfigMapping(prefix = "switchboard.model")
public interface ModelConfig {

    /** Endpoints tenants may use, by id. The built-in {@code builtin} endpoint is always present. */
    Map<String, Endpoint> endpoints();

    /** The model policy a tenant starts with when it names none. */
    @WithName("default")
    @WithDefault("builtin/retrieval")
    String defaultModel();

    /**
     * Hosts ({@code host} or {@code host:port}) that endpoints may use although they are loopback
     * or private addresses; everything else on such addresses is refused.
     */
    @WithName("allowed-hosts")
    Optional<List<String>> allowedHosts();

    /** When to stop calling an endpoint that keeps failing, and when to try it again. */
    Circuit circuit();

    /**
     * Model calls one tenant may have in flight at once (a bulkhead): a tenant whose model is
     * slow queues up against its own limit and never takes the capacity other tenants need.
     */
    @WithName("tenant-concurrency")
    @WithDefault("32")
    int tenantConcurrency();

    interface Circuit {

        /** Calls in the rolling window the failure ratio is measured over. */
        @WithDefault("10")
        int requestVolume();

        /** Share of failed calls in the window that opens the circuit. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long an open circuit skips the endpoint before one trial call is let through. */
        @WithDefault("30s")
        Duration delay();
    }

    interface Endpoint {

        /** The provider factory id, e.g. {@code openai-compatible}. */
        @WithDefault("openai-compatible")
        String provider();

        /** Base URL of the OpenAI-compatible API, including {@code /v1}. */
        Optional<String> baseUrl();

        /** {@code self-hosted} or {@code hosted}. */
        @WithDefault("self-hosted")
        String kind();

        /** Name of the environment variable holding the API key; the key itself is never configured. */
        Optional<String> apiKeyEnv();

        /** The models served; empty means any model name is accepted. */
        Optional<List<String>> models();

        /** Time to open the TCP connection. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Time from sending the request to the first streamed token. */
        @WithDefault("30s")
        Duration firstTokenTimeout();

        /** Time for the whole answer. */
        @WithDefault("120s")
        Duration totalTimeout();

        /** Prices by model name, in US dollars per million tokens; unpriced models cost nothing in the usage figures. */
        Map<String, Price> prices();

        /** The GGUF file an in-process endpoint (provider {@code local-gguf}) runs. */
        Optional<String> modelFile();

        /** Answers an in-process model generates at once; more wait for a free worker up to the first-token timeout. */
        @WithDefault("1")
        int workers();

        /** Context window (prompt plus answer, in tokens) of each in-process worker. */
        @WithDefault("4096")
        int contextSize();

        /** CPU threads an in-process model computes with; by default every core. */
        Optional<Integer> threads();

        /** Sampling seed of an in-process model: with one, the same prompt gets the same answer; random by default. */
        Optional<Integer> seed();
    }

    interface Price {

        /** Dollars per million input (prompt) tokens. */
        BigDecimal input();

        /** Dollars per million output (completion) tokens. */
        BigDecimal output();
    }
}
