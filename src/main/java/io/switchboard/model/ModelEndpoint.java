package io.switchboard.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One endpoint of the catalogue, as a provider factory receives it. */
public record ModelEndpoint(
        String id,
        String providerId,
        String kind,
        Optional<String> baseUrl,
        /** Where the API key is ({@link ApiKeyReference}), never the key. */
        Optional<String> apiKeyRef,
        List<String> models,
        Duration connectTimeout,
        Duration firstTokenTimeout,
        Duration totalTimeout,
        Map<String, Price> prices,
        /** The model file and workers of an in-process endpoint; empty for a server reached over HTTP. */
        Optional<LocalModel> local) {

    /** A GGUF file run inside the JVM by {@code workers} concurrent generations of {@code contextSize} tokens each. */
    public record LocalModel(
            java.nio.file.Path file, int workers, int contextSize, int threads, Optional<Integer> seed) {}

    /** Dollars per million tokens. */
    public record Price(BigDecimal input, BigDecimal output) {}

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /** What this many tokens of the model cost, or zero for a model without a price. */
    public BigDecimal cost(String model, int inputTokens, int outputTokens) {
        Price price = prices.get(model);
        if (price == null) {
            return BigDecimal.ZERO;
        }
        return price.input()
                .multiply(BigDecimal.valueOf(inputTokens))
                .add(price.output().multiply(BigDecimal.valueOf(outputTokens)))
                .divide(MILLION, 8, RoundingMode.HALF_UP);
    }

    public boolean serves(String model) {
        return models.isEmpty() || models.contains(model);
    }

    public boolean selfHosted() {
        return "self-hosted".equals(kind);
    }
}
