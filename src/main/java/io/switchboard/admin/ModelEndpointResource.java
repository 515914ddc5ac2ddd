package io.switchboard.admin;

import io.switchboard.model.ModelCatalog;
import io.switchboard.model.ModelEndpoint;
import io.switchboard.tenant.TenantAccess;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator's catalogue of model endpoints. An endpoint's API key is shown only as the name
 * of the environment variable that holds it.
 */
@Path("/api/v1/model-endpoints")
@Produces(MediaType.APPLICATION_JSON)
public class ModelEndpointResource {

    public record Price(BigDecimal inputUsdPerMTok, BigDecimal outputUsdPerMTok) {
    }

    public record EndpointView(String id, String provider, String kind, String baseUrl, String apiKeyRef, List<String> models,
            Map<String, Price> prices, long connectTimeoutMillis, long firstTokenTimeoutMillis, long totalTimeoutMillis) {

        static EndpointView of(ModelEndpoint endpoint) {
            Map<String, Price> prices = new TreeMap<>();
            endpoint.prices().forEach((model, price) -> prices.put(model, new Price(price.input(), price.output())));
            return new EndpointView(endpoint.id(), endpoint.providerId(), endpoint.kind(), endpoint.baseUrl().orElse(null),
                    endpoint.apiKeyEnv().map(name -> "env:" + name).orElse(null), endpoint.models(), prices,
                    endpoint.connectTimeout().toMillis(), endpoint.firstTokenTimeout().toMillis(), endpoint.totalTimeout().toMillis());
        }
    }

    private final TenantAccess access;
    private final ModelCatalog catalog;

    public ModelEndpointResource(TenantAccess access, ModelCatalog catalog) {
        this.access = access;
        this.catalog = catalog;
    }

    @GET
    public List<EndpointView> list() {
        access.requirePlatformAdmin();
        return catalog.available(null).stream().map(EndpointView::of).toList();
    }
}
