package io.switchboard.model;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.events.EventType;
import io.switchboard.events.Outbox;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.Problem;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
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

    /** The data of an endpoint-changed event: which endpoint, and whether it is gone. */
    public record Changed(String endpoint, boolean deleted) {}

    private final ModelCatalog catalog;
    private final ProbeService probes;
    private final AuditLog audit;
    private final Outbox outbox;
    private final TenantService tenants;
    private final ModelPolicies policies;

    public EndpointRegistration(
            ModelCatalog catalog,
            ProbeService probes,
            AuditLog audit,
            Outbox outbox,
            TenantService tenants,
            ModelPolicies policies) {
        this.catalog = catalog;
        this.probes = probes;
        this.audit = audit;
        this.outbox = outbox;
        this.tenants = tenants;
        this.policies = policies;
    }

    /**
     * Replaces a registered endpoint's settings after the new ones pass the probe, as registering
     * does; every replica reads it again. Endpoints declared in configuration change there.
     */
    public List<ProbeResult> update(ModelEndpoint endpoint, String actor) {
        requireRegistered(endpoint.id());
        List<Problem.FieldError> problems = catalog.problemsWithNew(endpoint).stream()
                .filter(problem -> !problem.field().equals("id"))
                .toList();
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The endpoint cannot be changed", problems);
        }
        List<ProbeResult> results = passingProbe(endpoint);
        changed(endpoint.id(), false, AuditLog.Action.MODEL_ENDPOINT_UPDATED, actor, () -> {
            if (!catalog.replace(endpoint, actor)) {
                throw ProblemException.notFound("Model endpoint");
            }
        });
        probes.keep(results);
        LOG.infof("Model endpoint %s changed by %s", endpoint.id(), actor);
        return results;
    }

    /**
     * Removes a registered endpoint that no tenant's model policy names; a tenant still using it
     * must switch first, so no tenant is left without its model. Conversations pinned to an older
     * policy version that named it fall back or go to a person, as when an endpoint fails.
     */
    public void remove(String id, String actor) {
        requireRegistered(id);
        List<String> users = policies.tenantsUsing(id).stream()
                .flatMap(tenantId -> tenants.findById(tenantId).stream())
                .map(TenantSettings::slug)
                .sorted()
                .toList();
        if (!users.isEmpty()) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "Model endpoint '" + id + "' is in the model policy of " + users.size()
                            + " tenant(s): " + String.join(", ", users.subList(0, Math.min(20, users.size())))
                            + ". They must choose another model first.");
        }
        changed(id, true, AuditLog.Action.MODEL_ENDPOINT_DELETED, actor, () -> {
            if (!catalog.unregister(id)) {
                throw ProblemException.notFound("Model endpoint");
            }
        });
        LOG.infof("Model endpoint %s removed by %s", id, actor);
    }

    private void requireRegistered(String id) {
        if (catalog.configured(id)) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "Model endpoint '" + id
                            + "' is declared in the configuration (switchboard.model.endpoints); change it there");
        }
        catalog.endpoint(id).orElseThrow(() -> ProblemException.notFound("Model endpoint"));
    }

    /** The change, its event for every replica's catalogue and its audit entry, committed together. */
    private void changed(String id, boolean deleted, AuditLog.Action action, String actor, Runnable change) {
        TenantScope.asPlatform(
                "model endpoint " + action.id(),
                () -> QuarkusTransaction.requiringNew().run(() -> {
                    change.run();
                    outbox.record(EventType.MODEL_ENDPOINT_CHANGED, null, id, new Changed(id, deleted));
                    audit.record(null, action, id, Map.of("by", actor));
                }));
    }

    /** The probe results of the endpoint's models, when at least one passed; otherwise a problem naming each failure. */
    private List<ProbeResult> passingProbe(ModelEndpoint endpoint) {
        List<ProbeResult> results = probes.probeOnly(endpoint);
        if (results.stream().noneMatch(ProbeResult::passed)) {
            throw new ProblemException(
                    ProblemType.PROBE_FAILED,
                    "No model of the endpoint passed the probe; nothing was stored",
                    results.stream()
                            .map(result -> new Problem.FieldError("models." + result.model(), result.problem()))
                            .toList());
        }
        return results;
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
        List<ProbeResult> results = passingProbe(endpoint);
        if (!catalog.register(endpoint, actor)) {
            throw new ProblemException(ProblemType.CONFLICT, "Model endpoint '" + endpoint.id() + "' exists already");
        }
        probes.keep(results);
        TenantScope.asPlatform(
                "platform audit log",
                () -> audit.record(
                        null,
                        AuditLog.Action.MODEL_ENDPOINT_REGISTERED,
                        endpoint.id(),
                        Map.of("baseUrl", endpoint.baseUrl().orElseThrow(), "kind", endpoint.kind())));
        LOG.infof(
                "Model endpoint %s registered by %s; %d of %d models passed the probe",
                endpoint.id(),
                actor,
                results.stream().filter(ProbeResult::passed).count(),
                results.size());
        return results;
    }
}
