package io.switchboard.model;

import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The provider factories by id, and the provider each made for an endpoint: made once, reused while
 * the endpoint's settings stay the same, and closed after its last calls when they change. Kept
 * apart from {@link ModelCatalog} because a provider holds resources (connection pools, a loaded
 * model) whose lifetime the catalogue's lists of endpoints do not have.
 */
final class ModelProviders {

    /** A provider made for one version of an endpoint's settings. */
    private record CachedProvider(ModelEndpoint endpoint, ModelProvider provider) {}

    private static final Logger LOG = Logger.getLogger(ModelProviders.class);
    /** Closes providers whose endpoint settings changed, after the calls they may still be answering. */
    private static final ScheduledExecutorService RETIREMENTS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("model-provider-retirements").daemon().factory());

    private final Map<String, ModelProviderFactory> factories;
    private final Map<String, CachedProvider> providers = new ConcurrentHashMap<>();

    ModelProviders(Instance<ModelProviderFactory> factories) {
        this.factories = factories.stream().collect(Collectors.toMap(ModelProviderFactory::id, f -> f));
    }

    /** Checks the endpoint's settings with the factory they name; throws {@link IllegalArgumentException} when refused. */
    void validate(ModelEndpoint endpoint) {
        factory(endpoint).validate(endpoint);
    }

    /** The provider for these settings of the endpoint, made once and reused while the settings stay the same. */
    ModelProvider provider(ModelEndpoint endpoint) {
        CachedProvider[] replaced = new CachedProvider[1];
        ModelProvider provider = providers
                .compute(endpoint.id(), (id, cached) -> {
                    if (cached != null && cached.endpoint().equals(endpoint)) {
                        return cached;
                    }
                    replaced[0] = cached;
                    return new CachedProvider(endpoint, factory(endpoint).create(endpoint));
                })
                .provider();
        if (replaced[0] != null && replaced[0].provider() instanceof AutoCloseable old) {
            // Its connections (or its loaded model) are freed once the calls still answering on the old settings are
            // done.
            RETIREMENTS.schedule(
                    () -> retire(endpoint.id(), old),
                    replaced[0].endpoint().totalTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return provider;
    }

    /** The most the endpoint's provider can give its models beyond text. */
    Capabilities capabilities(ModelEndpoint endpoint) {
        return factory(endpoint).capabilities();
    }

    /** Drops the endpoint's provider, so the next call makes one from the settings it then has. */
    void forget(String id) {
        providers.remove(id);
    }

    private static void retire(String endpointId, AutoCloseable provider) {
        try {
            provider.close();
        } catch (Exception e) {
            LOG.warnf(
                    "endpoint=%s the provider of its previous settings did not close cleanly: %s",
                    endpointId, e.getMessage());
        }
    }

    private ModelProviderFactory factory(ModelEndpoint endpoint) {
        ModelProviderFactory factory = factories.get(endpoint.providerId());
        if (factory == null) {
            throw new IllegalArgumentException(
                    "switchboard.model.endpoints." + endpoint.id() + ".provider: unknown provider '"
                            + endpoint.providerId() + "' (known: " + String.join(", ", factories.keySet()) + ")");
        }
        return factory;
    }
}
