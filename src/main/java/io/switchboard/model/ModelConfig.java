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

    /**
     * Endpoints tenants may use, by an id of the operator's choice; in environment variables the id is
     * upper-cased with {@code -} as {@code _}. The built-in {@code builtin} endpoint is always present.
     */
    Map<String, Endpoint> endpoints();

    /** The model policy ({@code <endpoint>/<model>}) a tenant starts with when its file names no model. */
    @WithName("default")
    @WithDefault("builtin/retrieval")
    String defaultModel();

    /**
     * Comma-separated hosts ({@code host} or {@code host:port}) that endpoints may use although they
     * are loopback or private addresses; any other loopback, private, link-local or cloud-metadata base
     * URL is refused at startup.
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

        /** Calls of one endpoint in the rolling window its failure ratio is measured over. */
        @WithDefault("10")
        int requestVolume();

        /** Share of failed calls in the window that opens the endpoint's circuit. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long an open circuit skips the endpoint before one trial call is let through. */
        @WithDefault("30s")
        Duration delay();
    }

    interface Endpoint {

        /**
         * The provider factory id: {@code openai-compatible}, or {@code local-gguf} for a GGUF file run
         * inside the JVM.
         */
        @WithDefault("openai-compatible")
        String provider();

        /** Base URL of the OpenAI-compatible API, including {@code /v1}, e.g. {@code http://127.0.0.1:8000/v1}. */
        Optional<String> baseUrl();

        /** {@code self-hosted} or {@code hosted}. */
        @WithDefault("self-hosted")
        String kind();

        /** Name of the environment variable holding the API key; the key itself is never configured or stored. */
        Optional<String> apiKeyEnv();

        /** Comma-separated names of the models served, e.g. {@code Qwen/Qwen3-8B}; absent, any model name is accepted. */
        Optional<List<String>> models();

        /** Time to open the TCP connection. */
        @WithDefault("5s")
        Duration connectTimeout();

        /**
         * Time from sending the request to the first streamed token (streamed calls: assistant turns,
         * streaming {@code /v1} calls).
         */
        @WithDefault("30s")
        Duration firstTokenTimeout();

        /** Time for the whole answer. */
        @WithDefault("120s")
        Duration totalTimeout();

        /**
         * Prices by model name, in US dollars per million tokens, for metering; unpriced models cost
         * nothing in the usage figures. Model names with {@code /} need quotes, so set prices in
         * {@code application.properties}: {@code switchboard.model.endpoints.ID.prices."MODEL".input}.
         */
        Map<String, Price> prices();

        /**
         * Path of the {@code .gguf} file an in-process endpoint (provider {@code local-gguf}) runs; the
         * model is named after it ({@code qwen3-1.7b-q4_k_m.gguf} serves {@code qwen3-1.7b-q4_k_m})
         * unless {@link #models()} names it.
         */
        Optional<String> modelFile();

        /**
         * Answers an in-process model generates at once; a turn that finds all busy waits up to the
         * first-token timeout, then falls back.
         */
        @WithDefault("1")
        int workers();

        /** Context window (prompt plus answer, in tokens) of each in-process worker; memory grows with workers × context. */
        @WithDefault("4096")
        int contextSize();

        /** CPU threads an in-process model (llama.cpp) computes with; by default every core. */
        Optional<Integer> threads();

        /**
         * Sampling seed of an in-process model: with one, the same prompt gets the same answer
         * (reproducible evaluations); random by default.
         */
        Optional<Integer> seed();
    }

    interface Price {

        /** Dollars per million input (prompt) tokens. */
        BigDecimal input();

        /** Dollars per million output (completion) tokens. */
        BigDecimal output();
    }
}
