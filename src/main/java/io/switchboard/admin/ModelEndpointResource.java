package io.switchboard.admin;

import io.switchboard.model.ModelCatalog;
import io.switchboard.model.ModelEndpoint;
import io.switchboard.model.ProbeResult;
import io.switchboard.model.ProbeService;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.TenantAccess;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
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
            Map<String, Price> prices, long connectTimeoutMillis, long firstTokenTimeoutMillis, long totalTimeoutMillis,
            Map<String, ProbeResult> probes) {

        static EndpointView of(ModelEndpoint endpoint, Map<String, ProbeResult> probes) {
            Map<String, Price> prices = new TreeMap<>();
            endpoint.prices().forEach((model, price) -> prices.put(model, new Price(price.input(), price.output())));
            return new EndpointView(endpoint.id(), endpoint.providerId(), endpoint.kind(), endpoint.baseUrl().orElse(null),
                    endpoint.apiKeyEnv().map(name -> "env:" + name).orElse(null), endpoint.models(), prices,
                    endpoint.connectTimeout().toMillis(), endpoint.firstTokenTimeout().toMillis(), endpoint.totalTimeout().toMillis(),
                    probes);
        }
    }

    private final TenantAccess access;
    private final ModelCatalog catalog;
    private final ProbeService probes;

    public ModelEndpointResource(TenantAccess access, ModelCatalog catalog, ProbeService probes) {
        this.access = access;
        this.catalog = catalog;
        this.probes = probes;
    }

    @GET
    public List<EndpointView> list() {
        access.requirePlatformAdmin();
        return catalog.available(null).stream().map(endpoint -> EndpointView.of(endpoint, latestProbes(endpoint))).toList();
    }

    /** Probes every model of the endpoint now; a model that fails cannot be chosen in a model policy. */
    @POST
    @Path("{id}/probe")
    public List<ProbeResult> probe(@PathParam("id") String id) {
        access.requirePlatformAdmin();
        ModelEndpoint endpoint = catalog.endpoint(id).orElseThrow(() -> ProblemException.notFound("Model endpoint"));
        return probes.probe(endpoint);
    }

    private Map<String, ProbeResult> latestProbes(ModelEndpoint endpoint) {
        Map<String, ProbeResult> latest = new TreeMap<>();
        endpoint.models().forEach(model -> probes.latest(endpoint.id(), model).ifPresent(result -> latest.put(model, result)));
        return latest;
    }
}
