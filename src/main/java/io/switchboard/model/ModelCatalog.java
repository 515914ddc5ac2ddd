package io.switchboard.model;

import io.switchboard.platform.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The endpoints the operator allows, from configuration plus the built-in retrieval answerer,
 * each bound to the provider factory its settings name.
 */
@ApplicationScoped
public class ModelCatalog {

    public static final String BUILTIN_ENDPOINT = "builtin";
    public static final String RETRIEVAL_MODEL = "retrieval";

    private final Map<String, ModelEndpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, ModelProviderFactory> factories;
    private final Map<String, ModelProvider> providers = new ConcurrentHashMap<>();
    private final ModelRef defaultModel;
    private final EndpointAddressPolicy addresses;

    public ModelCatalog(ModelConfig config, Instance<ModelProviderFactory> factories) {
        this.factories = factories.stream().collect(Collectors.toMap(ModelProviderFactory::id, f -> f));
        this.addresses = new EndpointAddressPolicy(config.allowedHosts().orElse(List.of()));
        endpoints.put(BUILTIN_ENDPOINT, new ModelEndpoint(BUILTIN_ENDPOINT, RETRIEVAL_MODEL, "self-hosted",
                Optional.empty(), Optional.empty(), List.of(RETRIEVAL_MODEL),
                Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(30), Map.of()));
        config.endpoints().forEach((key, settings) -> {
            String id = endpointId(key);
            ModelEndpoint endpoint = new ModelEndpoint(id, settings.provider(), settings.kind(), settings.baseUrl(),
                    settings.apiKeyEnv(), settings.models().orElse(List.of()), settings.connectTimeout(),
                    settings.firstTokenTimeout(), settings.totalTimeout(), prices(settings));
            factory(endpoint).validate(endpoint);
            endpoint.baseUrl().flatMap(addresses::problemWith).ifPresent(problem -> {
                throw new IllegalArgumentException("switchboard.model.endpoints." + key + ".base-url " + problem);
            });
            endpoints.put(id, endpoint);
        });
        this.defaultModel = parseDefault(config.defaultModel());
        problemWith(defaultModel).ifPresent(problem -> {
            throw new IllegalArgumentException("switchboard.model.default: " + problem);
        });
    }

    public ModelRef defaultModel() {
        return defaultModel;
    }

    public Optional<ModelEndpoint> endpoint(String id) {
        return Optional.ofNullable(endpoints.get(id));
    }

    /** What is wrong with a reference to a model, or nothing when the catalogue serves it. */
    public Optional<String> problemWith(ModelRef ref) {
        ModelEndpoint endpoint = endpoints.get(ref.endpoint());
        if (endpoint == null) {
            return Optional.of("model endpoint '" + ref.endpoint() + "' is not in the catalogue (known: "
                    + String.join(", ", endpoints.keySet()) + ")");
        }
        if (!endpoint.serves(ref.model())) {
            return Optional.of("endpoint '" + ref.endpoint() + "' does not serve model '" + ref.model() + "' (serves: "
                    + String.join(", ", endpoint.models()) + ")");
        }
        return Optional.empty();
    }

    /**
     * What is wrong with a policy for a tenant, field by field: models the catalogue does not
     * serve, endpoints the operator did not allow this tenant, hosted endpoints under a
     * self-hosted residency.
     */
    public List<Problem.FieldError> problemsWith(ModelPolicy policy, List<String> allowedEndpoints) {
        List<Problem.FieldError> problems = new java.util.ArrayList<>();
        List<ModelRef> candidates = policy.candidates();
        for (int i = 0; i < candidates.size(); i++) {
            ModelRef ref = candidates.get(i);
            String field = i == 0 ? "primary" : "fallbacks[" + (i - 1) + "]";
            Optional<String> problem = problemWith(ref);
            if (problem.isEmpty() && allowedEndpoints != null && !allowedEndpoints.contains(ref.endpoint())) {
                problem = Optional.of("endpoint '" + ref.endpoint() + "' is not allowed for this tenant");
            }
            if (problem.isEmpty() && policy.residency() == ModelPolicy.Residency.SELF_HOSTED
                    && !endpoints.get(ref.endpoint()).selfHosted()) {
                problem = Optional.of("endpoint '" + ref.endpoint() + "' is hosted, but the residency is self-hosted");
            }
            problem.ifPresent(message -> problems.add(new Problem.FieldError(field, message)));
        }
        if (problems.isEmpty() && policy.budget() != null && policy.budget().onExceeded() == ModelPolicy.OnExceeded.DEGRADE
                && cheaperFallbacks(policy).isEmpty()) {
            problems.add(new Problem.FieldError("budget.onExceeded",
                    "degrade needs a fallback that costs less than the primary; add one or use handoff"));
        }
        return problems;
    }

    /**
     * The policy's fallbacks that cost less than its primary, cheapest first: what a turn may
     * use once the monthly budget is spent. A model is as cheap as its input and output prices
     * per million tokens added together; an unpriced model costs nothing.
     */
    public List<ModelRef> cheaperFallbacks(ModelPolicy policy) {
        BigDecimal primaryPrice = blendedPrice(policy.primary());
        return policy.fallbacks().stream()
                .filter(ref -> blendedPrice(ref).compareTo(primaryPrice) < 0)
                .sorted(java.util.Comparator.comparing(this::blendedPrice))
                .toList();
    }

    private BigDecimal blendedPrice(ModelRef ref) {
        ModelEndpoint.Price price = endpoint(ref.endpoint()).map(endpoint -> endpoint.prices().get(ref.model())).orElse(null);
        return price == null ? BigDecimal.ZERO : price.input().add(price.output());
    }

    /**
     * Whether a model of the policy answers from the tenant's knowledge (the built-in retrieval
     * answerer): only then is it worth searching the knowledge base for a request that carries
     * its own prompt.
     */
    public boolean answersFromKnowledge(ModelPolicy policy) {
        String retrieval = endpoints.get(BUILTIN_ENDPOINT).providerId();
        return policy.candidates().stream()
                .map(ref -> endpoints.get(ref.endpoint()))
                .anyMatch(endpoint -> endpoint != null && retrieval.equals(endpoint.providerId()));
    }

    /** The endpoints a tenant may choose from. */
    public List<ModelEndpoint> available(List<String> allowedEndpoints) {
        return endpoints.values().stream()
                .filter(endpoint -> allowedEndpoints == null || allowedEndpoints.contains(endpoint.id()))
                .toList();
    }

    ModelProvider provider(ModelEndpoint endpoint) {
        return providers.computeIfAbsent(endpoint.id(), id -> factory(endpoint).create(endpoint));
    }

    private ModelProviderFactory factory(ModelEndpoint endpoint) {
        ModelProviderFactory factory = factories.get(endpoint.providerId());
        if (factory == null) {
            throw new IllegalArgumentException("switchboard.model.endpoints." + endpoint.id() + ".provider: unknown provider '"
                    + endpoint.providerId() + "' (known: " + String.join(", ", factories.keySet()) + ")");
        }
        return factory;
    }

    private static Map<String, ModelEndpoint.Price> prices(ModelConfig.Endpoint settings) {
        Map<String, ModelEndpoint.Price> prices = new java.util.HashMap<>();
        settings.prices().forEach((model, price) -> prices.put(model, new ModelEndpoint.Price(price.input(), price.output())));
        return Map.copyOf(prices);
    }

    /**
     * Endpoint ids are lower-case letters, digits and hyphens. An environment variable cannot
     * spell a hyphen ({@code SWITCHBOARD_MODEL_ENDPOINTS__VLLM_LOCAL__BASE_URL} arrives as key
     * {@code vllm.local}), so dots and underscores in a configured key stand for hyphens.
     */
    static String endpointId(String key) {
        String id = key.toLowerCase(java.util.Locale.ROOT).replace('.', '-').replace('_', '-');
        if (!id.matches("^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")) {
            throw new IllegalArgumentException("switchboard.model.endpoints." + key
                    + ": an endpoint id must be lower-case letters, digits and inner hyphens");
        }
        return id;
    }

    private static ModelRef parseDefault(String value) {
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            throw new IllegalArgumentException("switchboard.model.default must be <endpoint>/<model>, got '" + value + "'");
        }
        return new ModelRef(value.substring(0, slash), value.substring(slash + 1));
    }
}
