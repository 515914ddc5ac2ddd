package io.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Tests an endpoint before tenants may choose it: {@code /models} lists the
 * model, a short streamed answer arrives, token usage is (or is not) reported, how long the
 * first token took, and what the model does beyond text ({@link CapabilityProbe}; for a model
 * not asked over HTTP, what its provider can do). The latest result per model is stored; a
 * failed model cannot be selected, and requests needing a capability a model lacks skip it.
 */
@ApplicationScoped
public class ProbeService {

    private static final String QUESTION = "Reply with the single word: ready";

    private final ModelCatalog catalog;
    private final ModelProbeRepository probes;
    private final ModelCapabilities capabilities;
    private final ObjectMapper json;

    public ProbeService(
            ModelCatalog catalog, ModelProbeRepository probes, ModelCapabilities capabilities, ObjectMapper json) {
        this.catalog = catalog;
        this.probes = probes;
        this.capabilities = capabilities;
        this.json = json;
    }

    /** Probes every model of a catalogue endpoint and keeps the results. */
    public List<ProbeResult> probe(ModelEndpoint endpoint) {
        List<ProbeResult> results = probeOnly(endpoint);
        keep(results);
        return results;
    }

    /** Probes every model of an endpoint without keeping anything: for an endpoint not yet in the catalogue. */
    List<ProbeResult> probeOnly(ModelEndpoint endpoint) {
        return endpoint.models().stream().map(model -> probe(endpoint, model)).toList();
    }

    void keep(List<ProbeResult> results) {
        QuarkusTransaction.requiringNew().run(() -> results.forEach(this::store));
        capabilities.probed();
    }

    public Optional<ProbeResult> latest(String endpoint, String model) {
        return QuarkusTransaction.requiringNew()
                .call(() -> probes.findByIdOptional(new ModelProbe.Key(endpoint, model))
                        .map(probe -> probe.result));
    }

    private ProbeResult probe(ModelEndpoint endpoint, String model) {
        Instant now = Instant.now();
        if (ModelCatalog.BUILTIN_ENDPOINT.equals(endpoint.id())) {
            return new ProbeResult(
                    endpoint.id(),
                    model,
                    true,
                    true,
                    true,
                    false,
                    0L,
                    null,
                    now,
                    catalog.ceiling(endpoint).assumingUnknownHolds());
        }
        boolean listed;
        try {
            // An in-process model has no /models to ask: the catalogue's list is the model file's name.
            listed = endpoint.baseUrl().isEmpty() ? endpoint.serves(model) : listsModel(endpoint, model);
        } catch (Exception e) {
            return new ProbeResult(
                    endpoint.id(),
                    model,
                    false,
                    false,
                    false,
                    false,
                    null,
                    "not reachable: " + e.getClass().getSimpleName(),
                    now,
                    null);
        }
        ModelRequest request = new ModelRequest(
                new UUID(0, 0),
                "probe",
                ModelRequest.Source.API,
                model,
                List.of(new ModelRequest.Turn(ModelRequest.Role.USER, QUESTION)),
                Grounding.none(),
                null,
                true);
        ModelProvider provider = catalog.provider(endpoint);
        try {
            ModelReply reply = provider.chat(request, fragment -> {});
            boolean usage = reply.inputTokens() != null && reply.outputTokens() != null;
            Capabilities ceiling = catalog.ceiling(endpoint);
            return new ProbeResult(
                    endpoint.id(),
                    model,
                    true,
                    listed,
                    true,
                    usage,
                    reply.timeToFirstTokenMillis(),
                    listed ? null : "/models does not list the model",
                    now,
                    endpoint.baseUrl().isEmpty()
                            ? ceiling.assumingUnknownHolds()
                            : new CapabilityProbe(provider, model, json).check(ceiling));
        } catch (ModelFailure failure) {
            // A model that does not chat may still embed: what it does is recorded, though it cannot be chosen for
            // chat.
            return new ProbeResult(
                    endpoint.id(),
                    model,
                    true,
                    listed,
                    false,
                    false,
                    null,
                    "streaming failed: " + failure.reason().tag(),
                    now,
                    endpoint.baseUrl().isEmpty()
                            ? null
                            : new CapabilityProbe(provider, model, json)
                                    .checkEmbeddingsOnly(catalog.ceiling(endpoint)));
        }
    }

    private boolean listsModel(ModelEndpoint endpoint, String model) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(endpoint.baseUrl().orElseThrow() + "/models"))
                .timeout(endpoint.firstTokenTimeout())
                .GET();
        endpoint.apiKeyRef()
                .flatMap(ApiKeyReference::resolve)
                .ifPresent(key -> request.header("Authorization", "Bearer " + key));
        try (HttpClient client = HttpClient.newBuilder()
                .connectTimeout(endpoint.connectTimeout())
                .build()) {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return false;
            }
            for (JsonNode entry : json.readTree(response.body()).path("data")) {
                if (model.equals(entry.path("id").asText())) {
                    return true;
                }
            }
            return false;
        }
    }

    private void store(ProbeResult result) {
        ModelProbe probe = probes.findByIdOptional(new ModelProbe.Key(result.endpoint(), result.model()))
                .orElse(null);
        boolean created = probe == null;
        if (created) {
            probe = new ModelProbe();
            probe.key = new ModelProbe.Key(result.endpoint(), result.model());
        }
        probe.result = result;
        probe.passed = result.passed();
        probe.probedAt = result.probedAt();
        probe.tools = result.capabilities().tools();
        probe.jsonMode = result.capabilities().jsonMode();
        probe.images = result.capabilities().images();
        if (created) {
            probes.persist(probe);
        }
    }
}
