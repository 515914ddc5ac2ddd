package io.switchboard.model;

import io.switchboard.events.DomainEvent;
import io.switchboard.events.EventType;
import io.switchboard.platform.EndpointAddressPolicy;
import io.switchboard.platform.Problem;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The endpoints the operator allows: the built-in retrieval answerer, those in configuration and
 * those registered through the API (shared by every replica through the database), each bound
 * to the provider factory its settings name.
 */
@Singleton
public class ModelCatalog {

    public static final String BUILTIN_ENDPOINT = "builtin";
    public static final String RETRIEVAL_MODEL = "retrieval";

    private final Map<String, ModelEndpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, ModelEndpoint> registered = new ConcurrentHashMap<>();
    private final ModelEndpointRepository store;
    private final ModelProviders providers;
    private final ModelRef defaultModel;
    private final EndpointAddressPolicy addresses;

    public ModelCatalog(ModelConfig config, Instance<ModelProviderFactory> factories, ModelEndpointRepository store) {
        this.store = store;
        this.providers = new ModelProviders(factories);
        this.addresses = new EndpointAddressPolicy(config.allowedHosts().orElse(List.of()));
        endpoints.put(
                BUILTIN_ENDPOINT,
                new ModelEndpoint(
                        BUILTIN_ENDPOINT,
                        RETRIEVAL_MODEL,
                        "self-hosted",
                        Optional.empty(),
                        Optional.empty(),
                        List.of(RETRIEVAL_MODEL),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(30),
                        Map.of(),
                        Optional.empty()));
        config.endpoints().forEach((key, settings) -> {
            String id = endpointId(key);
            Optional<ModelEndpoint.LocalModel> local = settings.modelFile()
                    .map(file -> new ModelEndpoint.LocalModel(
                            java.nio.file.Path.of(file).toAbsolutePath(),
                            settings.workers(),
                            settings.contextSize(),
                            settings.threads().orElse(Runtime.getRuntime().availableProcessors()),
                            settings.seed()));
            ModelEndpoint endpoint = new ModelEndpoint(
                    id,
                    settings.provider(),
                    settings.kind(),
                    settings.baseUrl(),
                    settings.apiKeyEnv().map(ApiKeyReference::ofEnvironmentVariable),
                    settings.models()
                            .orElse(local.map(ModelCatalog::modelName).stream().toList()),
                    settings.connectTimeout(),
                    settings.firstTokenTimeout(),
                    settings.totalTimeout(),
                    prices(settings),
                    local);
            providers.validate(endpoint);
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

    /**
     * In-process models are loaded in the background as the replica starts, so the first customer
     * does not wait seconds for a large file; a model that fails to load is tried again on its first turn.
     */
    void loadLocalModels(@Observes io.quarkus.runtime.StartupEvent started) {
        endpoints.values().stream()
                .filter(endpoint -> endpoint.local().isPresent())
                .forEach(endpoint ->
                        Thread.ofVirtual().name("load-" + endpoint.id()).start(() -> provider(endpoint)));
    }

    public ModelRef defaultModel() {
        return defaultModel;
    }

    /** A configured endpoint, or a registered one (looked up in the database the first time this replica needs it). */
    public Optional<ModelEndpoint> endpoint(String id) {
        ModelEndpoint endpoint = endpoints.get(id);
        if (endpoint == null) {
            endpoint = registered.get(id);
        }
        if (endpoint == null) {
            endpoint = store.find(id).orElse(null);
            if (endpoint != null) {
                registered.put(id, endpoint);
            }
        }
        return Optional.ofNullable(endpoint);
    }

    /** What is wrong with a reference to a model, or nothing when the catalogue serves it. */
    public Optional<String> problemWith(ModelRef ref) {
        ModelEndpoint endpoint = endpoint(ref.endpoint()).orElse(null);
        if (endpoint == null) {
            return Optional.of("model endpoint '" + ref.endpoint() + "' is not in the catalogue (known: "
                    + available(null).stream().map(ModelEndpoint::id).collect(Collectors.joining(", ")) + ")");
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
        for (Map.Entry<String, ModelRef> named : policy.modelsByField().entrySet()) {
            ModelRef ref = named.getValue();
            String field = named.getKey();
            Optional<String> problem = problemWith(ref);
            if (problem.isEmpty() && field.equals("canary.model") && ref.equals(policy.primary())) {
                problem = Optional.of("the canary must be another model than the primary");
            }
            if (problem.isEmpty() && allowedEndpoints != null && !allowedEndpoints.contains(ref.endpoint())) {
                problem = Optional.of("endpoint '" + ref.endpoint() + "' is not allowed for this tenant");
            }
            if (problem.isEmpty()
                    && policy.residency() == ModelPolicy.Residency.SELF_HOSTED
                    && !endpoint(ref.endpoint()).orElseThrow().selfHosted()) {
                problem = Optional.of("endpoint '" + ref.endpoint() + "' is hosted, but the residency is self-hosted");
            }
            problem.ifPresent(message -> problems.add(new Problem.FieldError(field, message)));
        }
        if (problems.isEmpty()
                && policy.budget() != null
                && policy.budget().onExceeded() == ModelPolicy.OnExceeded.DEGRADE
                && cheaperFallbacks(policy).isEmpty()) {
            problems.add(new Problem.FieldError(
                    "budget.onExceeded",
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
        ModelEndpoint.Price price = endpoint(ref.endpoint())
                .map(endpoint -> endpoint.prices().get(ref.model()))
                .orElse(null);
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
                .map(ref -> endpoint(ref.endpoint()).orElse(null))
                .anyMatch(endpoint -> endpoint != null && retrieval.equals(endpoint.providerId()));
    }

    /** The endpoints a tenant may choose from: configured ones first, then registered ones by id. */
    public List<ModelEndpoint> available(List<String> allowedEndpoints) {
        List<ModelEndpoint> stored = store.all();
        registered.keySet().retainAll(stored.stream().map(ModelEndpoint::id).toList());
        stored.forEach(endpoint -> registered.put(endpoint.id(), endpoint));
        return java.util.stream.Stream.concat(
                        endpoints.values().stream(),
                        registered.values().stream().sorted(java.util.Comparator.comparing(ModelEndpoint::id)))
                .filter(endpoint -> allowedEndpoints == null || allowedEndpoints.contains(endpoint.id()))
                .toList();
    }

    /**
     * What keeps an endpoint from joining the catalogue through the API: an id already taken,
     * settings its provider refuses, or a base URL on a loopback, private or metadata address
     * the operator did not allow.
     */
    public List<Problem.FieldError> problemsWithNew(ModelEndpoint endpoint) {
        List<Problem.FieldError> problems = new java.util.ArrayList<>();
        if (endpoint(endpoint.id()).isPresent()) {
            problems.add(new Problem.FieldError("id", "an endpoint with this id exists already"));
        }
        try {
            providers.validate(endpoint);
        } catch (IllegalArgumentException invalid) {
            problems.add(new Problem.FieldError(
                    "baseUrl", invalid.getMessage().replaceFirst("^switchboard\\.model\\.endpoints\\.[^ ]+ ", "")));
        }
        if (problems.stream().noneMatch(problem -> problem.field().equals("baseUrl"))) {
            endpoint.baseUrl()
                    .flatMap(addresses::problemWith)
                    .ifPresent(problem -> problems.add(new Problem.FieldError("baseUrl", problem)));
        }
        return problems;
    }

    /** Whether the endpoint is declared in this replica's configuration (and so cannot be changed through the API). */
    public boolean configured(String id) {
        return endpoints.containsKey(id);
    }

    /** Replaces a registered endpoint's settings; false when it is not registered. */
    boolean replace(ModelEndpoint endpoint, String actor) {
        boolean stored = store.replace(endpoint, actor);
        forget(endpoint.id());
        return stored;
    }

    /** Removes a registered endpoint; false when it is not registered. */
    boolean unregister(String id) {
        boolean deleted = store.delete(id);
        forget(id);
        return deleted;
    }

    /** Another replica changed or removed a registered endpoint: read it again when next needed. */
    void onEndpointChanged(@Observes DomainEvent event) {
        if (EventType.MODEL_ENDPOINT_CHANGED.topic().equals(event.type())) {
            forget(event.key());
        }
    }

    private void forget(String id) {
        registered.remove(id);
        providers.forget(id);
    }

    /** Adds an endpoint that passed its probe; false when another replica registered the id first. */
    public boolean register(ModelEndpoint endpoint, String actor) {
        boolean stored = store.insert(endpoint, actor);
        if (stored) {
            registered.put(endpoint.id(), endpoint);
        }
        return stored;
    }

    /** The most the endpoint's provider can give its models beyond text (see {@link ModelCapabilities}). */
    Capabilities ceiling(ModelEndpoint endpoint) {
        return providers.capabilities(endpoint);
    }

    /** The provider for these settings of the endpoint, made once and reused while the settings stay the same. */
    ModelProvider provider(ModelEndpoint endpoint) {
        return providers.provider(endpoint);
    }

    /** An in-process model is named after its file unless the operator lists a name: {@code qwen3-1.7b-q4_k_m.gguf} serves {@code qwen3-1.7b-q4_k_m}. */
    private static String modelName(ModelEndpoint.LocalModel local) {
        return local.file().getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
    }

    private static Map<String, ModelEndpoint.Price> prices(ModelConfig.Endpoint settings) {
        Map<String, ModelEndpoint.Price> prices = new java.util.HashMap<>();
        settings.prices()
                .forEach((model, price) -> prices.put(model, new ModelEndpoint.Price(price.input(), price.output())));
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
            throw new IllegalArgumentException(
                    "switchboard.model.default must be <endpoint>/<model>, got '" + value + "'");
        }
        return new ModelRef(value.substring(0, slash), value.substring(slash + 1));
    }
}
