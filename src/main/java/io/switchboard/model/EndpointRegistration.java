package io.switchboard.model;

import io.switchboard.platform.AuditLog;
import io.switchboard.platform.Problem;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.tenant.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Adds an OpenAI-compatible endpoint to the catalogue through the API, as the operator would in
 * configuration, but only after it passed its probe: an endpoint none of whose models streams an
 * answer is refused and nothing is stored.
 */
@ApplicationScoped
public class EndpointRegistration {

    private static final Logger LOG = Logger.getLogger(EndpointRegistration.class);

    private final ModelCatalog catalog;
    private final ProbeService probes;
    private final AuditLog audit;

    public EndpointRegistration(ModelCatalog catalog, ProbeService probes, AuditLog audit) {
        this.catalog = catalog;
        this.probes = probes;
        this.audit = audit;
    }

    /** Registers the endpoint; returns its probe results, one per model. */
    public List<ProbeResult> register(ModelEndpoint endpoint, String actor) {
        List<Problem.FieldError> problems = catalog.problemsWithNew(endpoint);
        if (problems.stream().anyMatch(problem -> problem.field().equals("id"))) {
            throw new ProblemException(ProblemType.CONFLICT, "Model endpoint '" + endpoint.id() + "' exists already");
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The endpoint cannot be added", problems);
        }
        List<ProbeResult> results = probes.probeOnly(endpoint);
        if (results.stream().noneMatch(ProbeResult::passed)) {
            throw new ProblemException(ProblemType.PROBE_FAILED, "No model of the endpoint passed the probe; nothing was stored",
                    results.stream().map(result -> new Problem.FieldError("models." + result.model(), result.problem())).toList());
        }
        if (!catalog.register(endpoint, actor)) {
            throw new ProblemException(ProblemType.CONFLICT, "Model endpoint '" + endpoint.id() + "' exists already");
        }
        probes.keep(results);
        TenantScope.asPlatform("platform audit log", () -> audit.record(null, AuditLog.Action.MODEL_ENDPOINT_REGISTERED, endpoint.id(),
                Map.of("baseUrl", endpoint.baseUrl().orElseThrow(), "kind", endpoint.kind())));
        LOG.infof("Model endpoint %s registered by %s; %d of %d models passed the probe", endpoint.id(), actor,
                results.stream().filter(ProbeResult::passed).count(), results.size());
        return results;
    }
}
