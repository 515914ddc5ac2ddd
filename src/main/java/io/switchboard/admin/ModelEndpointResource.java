package io.switchboard.admin;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.model.ApiKeyReference;
import io.switchboard.model.EndpointRegistration;
import io.switchboard.model.ModelCatalog;
import io.switchboard.model.ModelEndpoint;
import io.switchboard.model.OpenAiCompatibleProviderFactory;
import io.switchboard.model.ProbeResult;
import io.switchboard.model.ProbeService;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.ForPlatformAdmin;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The operator's catalogue of model endpoints. An endpoint's API key is shown only as the name
 * of the environment variable that holds it.
 */
@Path("/api/v1/model-endpoints")
@Produces(MediaType.APPLICATION_JSON)
@ForPlatformAdmin
public class ModelEndpointResource {

    public record Price(BigDecimal inputUsdPerMTok, BigDecimal outputUsdPerMTok) {}

    public record EndpointView(
            String id,
            String provider,
            String kind,
            String baseUrl,
            String apiKeyRef,
            List<String> models,
            Map<String, Price> prices,
            long connectTimeoutMillis,
            long firstTokenTimeoutMillis,
            long totalTimeoutMillis,
            Map<String, ProbeResult> probes) {

        static EndpointView of(ModelEndpoint endpoint, Map<String, ProbeResult> probes) {
            Map<String, Price> prices = new TreeMap<>();
            endpoint.prices().forEach((model, price) -> prices.put(model, new Price(price.input(), price.output())));
            return new EndpointView(
                    endpoint.id(),
                    endpoint.providerId(),
                    endpoint.kind(),
                    endpoint.baseUrl().orElse(null),
                    endpoint.apiKeyRef().orElse(null),
                    endpoint.models(),
                    prices,
                    endpoint.connectTimeout().toMillis(),
                    endpoint.firstTokenTimeout().toMillis(),
                    endpoint.totalTimeout().toMillis(),
                    probes);
        }
    }

    /** A model and its prices; a model without both prices costs nothing in the usage figures. */
    public record ModelPrice(
            @NotBlank @Size(max = 200) String name,

            @DecimalMin("0") @Digits(integer = 6, fraction = 6)
            BigDecimal inputUsdPerMTok,

            @DecimalMin("0") @Digits(integer = 6, fraction = 6)
            BigDecimal outputUsdPerMTok) {}

    /** An OpenAI-compatible endpoint to add; timeouts are those of a configured endpoint's defaults. */
    public record NewEndpoint(
            @NotBlank
            @Pattern(
                    regexp = "^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$",
                    message = "must be lower-case letters, digits and inner hyphens, at most 100")
            String id,

            @NotBlank @Size(max = 2000) String baseUrl,

            @NotNull @Pattern(regexp = "self-hosted|hosted", message = "must be self-hosted or hosted")
            String kind,

            @Pattern(
                    regexp = ApiKeyReference.REGISTERED_FORMAT,
                    message = ApiKeyReference.REGISTERED_FORMAT_DESCRIPTION)
            String apiKeyRef,

            @NotEmpty @Size(max = 50) List<@NotNull @Valid ModelPrice> models) {

        ModelEndpoint toEndpoint() {
            Map<String, ModelEndpoint.Price> prices = new java.util.HashMap<>();
            models.stream()
                    .filter(model -> model.inputUsdPerMTok() != null && model.outputUsdPerMTok() != null)
                    .forEach(model -> prices.put(
                            model.name(), new ModelEndpoint.Price(model.inputUsdPerMTok(), model.outputUsdPerMTok())));
            return new ModelEndpoint(
                    id,
                    OpenAiCompatibleProviderFactory.ID,
                    kind,
                    Optional.of(baseUrl.strip()),
                    Optional.ofNullable(apiKeyRef),
                    models.stream().map(ModelPrice::name).distinct().toList(),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(120),
                    Map.copyOf(prices),
                    Optional.empty());
        }
    }

    private final ModelCatalog catalog;
    private final ProbeService probes;
    private final EndpointRegistration registration;
    private final SecurityIdentity identity;

    public ModelEndpointResource(
            ModelCatalog catalog, ProbeService probes, EndpointRegistration registration, SecurityIdentity identity) {
        this.catalog = catalog;
        this.probes = probes;
        this.registration = registration;
        this.identity = identity;
    }

    @GET
    public List<EndpointView> list() {
        return catalog.available(null).stream()
                .map(endpoint -> EndpointView.of(endpoint, latestProbes(endpoint)))
                .toList();
    }

    /**
     * Adds an endpoint after probing it: 201 with each model's probe result when at least one
     * model passed (a model that failed cannot be chosen), 422 {@code probe-failed} and nothing
     * stored when none did.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Valid @NotNull(message = "a JSON body is required") NewEndpoint request) {
        ModelEndpoint endpoint = request.toEndpoint();
        Map<String, ProbeResult> results = new TreeMap<>();
        registration
                .register(endpoint, identity.getPrincipal().getName())
                .forEach(result -> results.put(result.model(), result));
        return Response.created(URI.create("/api/v1/model-endpoints/" + endpoint.id()))
                .entity(EndpointView.of(endpoint, results))
                .build();
    }

    /**
     * Replaces a registered endpoint's settings (the same body as registering, with the same id),
     * after the new settings pass the probe. An endpoint declared in configuration answers 409.
     */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public EndpointView update(
            @PathParam("id") String id, @Valid @NotNull(message = "a JSON body is required") NewEndpoint request) {
        if (!id.equals(request.id())) {
            throw ProblemException.invalid("id", "must be the id in the path, '" + id + "'");
        }
        ModelEndpoint endpoint = request.toEndpoint();
        Map<String, ProbeResult> results = new TreeMap<>();
        registration
                .update(endpoint, identity.getPrincipal().getName())
                .forEach(result -> results.put(result.model(), result));
        return EndpointView.of(endpoint, results);
    }

    /** Removes a registered endpoint no tenant's model policy names (409 naming the tenants that still use it). */
    @DELETE
    @Path("{id}")
    public Response remove(@PathParam("id") String id) {
        registration.remove(id, identity.getPrincipal().getName());
        return Response.noContent().build();
    }

    /** Probes every model of the endpoint now; a model that fails cannot be chosen in a model policy. */
    @POST
    @Path("{id}/probe")
    public List<ProbeResult> probe(@PathParam("id") String id) {
        ModelEndpoint endpoint = catalog.endpoint(id).orElseThrow(() -> ProblemException.notFound("Model endpoint"));
        return probes.probe(endpoint);
    }

    private Map<String, ProbeResult> latestProbes(ModelEndpoint endpoint) {
        Map<String, ProbeResult> latest = new TreeMap<>();
        endpoint.models()
                .forEach(model -> probes.latest(endpoint.id(), model).ifPresent(result -> latest.put(model, result)));
        return latest;
    }
}
