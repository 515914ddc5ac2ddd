package io.switchboard.model;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.List;

/**
 * The models a tenant may choose (the operator's catalogue limited to the endpoints it allows the
 * tenant), each with its prices and its latest capability probe, for the admin API and the console.
 */
@ApplicationScoped
public class ModelChoices {

    /**
     * One choice; {@code model} is "*" for an endpoint that serves any model name. Prices are null
     * when the catalogue has none. {@code capabilities} are what requests are routed on: what the
     * provider can do, narrowed by the latest probe (null where neither says).
     */
    public record Choice(
            String endpoint,
            String kind,
            String model,
            BigDecimal inputUsdPerMTok,
            BigDecimal outputUsdPerMTok,
            ProbeResult probe,
            Capabilities capabilities) {

        public ModelRef ref() {
            return new ModelRef(endpoint, model);
        }

        /** Selectable in a policy: never probed (configured by the operator) or passed its last probe. */
        public boolean selectable() {
            return probe == null || probe.passed();
        }
    }

    private final ModelCatalog catalog;
    private final ProbeService probes;
    private final ModelCapabilities capabilities;

    public ModelChoices(ModelCatalog catalog, ProbeService probes, ModelCapabilities capabilities) {
        this.catalog = catalog;
        this.probes = probes;
        this.capabilities = capabilities;
    }

    public List<Choice> forTenant(List<String> allowedEndpoints) {
        return catalog.available(allowedEndpoints).stream()
                .flatMap(endpoint -> (endpoint.models().isEmpty() ? List.of("*") : endpoint.models())
                        .stream().map(model -> {
                            ModelEndpoint.Price price = endpoint.prices().get(model);
                            return new Choice(
                                    endpoint.id(),
                                    endpoint.kind(),
                                    model,
                                    price == null ? null : price.input(),
                                    price == null ? null : price.output(),
                                    probes.latest(endpoint.id(), model).orElse(null),
                                    capabilities.of(new ModelRef(endpoint.id(), model)));
                        }))
                .toList();
    }
}
