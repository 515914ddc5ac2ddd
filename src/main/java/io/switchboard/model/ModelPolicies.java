package io.switchboard.model;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.events.DomainEvent;
import io.switchboard.events.EventType;
import io.switchboard.events.Outbox;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.Problem;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.RequestContexts;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantService;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Each tenant's model policy: the one in force with its version, every past version, the
 * catalogue endpoints the operator allows the tenant, and which policy answers a conversation.
 */
@Singleton
public class ModelPolicies {

    private static final Logger LOG = Logger.getLogger(ModelPolicies.class);

    /** Who changed a policy when tenants-config did. */
    public static final String CONFIG_ACTOR = "tenants-config";
    /** The longest a replica trusts a policy it read, should the event about a change never arrive. */
    static final Duration REMEMBERED = Duration.ofSeconds(30);

    /** The model policy in force, with its version (the ETag of the policy resource). */
    public record PolicyState(ModelPolicy policy, int version) {}

    /** A past change of the model policy. */
    public record PolicyChange(int version, ModelPolicy policy, String changedBy, Instant at) {}

    /** The data of a policy-changed event. */
    public record PolicyChanged(int version, ModelPolicy policy, String changedBy) {}

    /** What a tenant runs on now; {@code allowedEndpoints} is null when every catalogue endpoint is allowed. */
    public record Current(ModelPolicy policy, int version, List<String> allowedEndpoints) {

        public PolicyState state() {
            return new PolicyState(policy, version);
        }
    }

    private final Cache<UUID, Current> current =
            Caffeine.newBuilder().expireAfterWrite(REMEMBERED).build();
    /** Past versions, read once: a version never changes after it is written. */
    private final Cache<PastVersion, ModelPolicy> past =
            Caffeine.newBuilder().maximumSize(10_000).build();
    /** Counts forgettings: a policy read while one happened may be stale and is not remembered. */
    private final AtomicLong forgotten = new AtomicLong();

    private record PastVersion(UUID tenantId, int version) {}

    private final TenantModelPolicyRepository policies;
    private final ModelPolicyVersionRepository versions;
    private final ModelCatalog catalog;
    private final ProbeService probes;
    private final Outbox outbox;
    private final AuditLog audit;

    public ModelPolicies(
            TenantModelPolicyRepository policies,
            ModelPolicyVersionRepository versions,
            ModelCatalog catalog,
            ProbeService probes,
            Outbox outbox,
            AuditLog audit) {
        this.policies = policies;
        this.versions = versions;
        this.catalog = catalog;
        this.probes = probes;
        this.outbox = outbox;
        this.audit = audit;
    }

    /** The tenant's policy in force, from memory when this replica read it less than {@link #REMEMBERED} ago. */
    public Current current(UUID tenantId) {
        Current remembered = current.getIfPresent(tenantId);
        if (remembered != null) {
            return remembered;
        }
        long before = forgotten.get();
        Current read = read(tenantId, () -> policies.findByIdOptional(tenantId).map(ModelPolicies::of))
                .orElseThrow(() -> ProblemException.notFound("Tenant"));
        if (forgotten.get() == before) {
            current.put(tenantId, read);
        }
        return read;
    }

    /** The policy when this replica holds it in memory; never reads the database (for event-loop callers). */
    public Optional<Current> remembered(UUID tenantId) {
        return Optional.ofNullable(current.getIfPresent(tenantId));
    }

    /**
     * Policies are read from requests, event consumers and the gateway's workers, some with no
     * request context or tenant scope yet: both are opened for the read when the caller has none.
     */
    private static <T> T read(UUID tenantId, Callable<T> query) {
        return TenantScope.call(
                tenantId,
                () -> RequestContexts.within(
                        () -> QuarkusTransaction.joiningExisting().call(query)));
    }

    private static Current of(TenantModelPolicy row) {
        return new Current(
                row.policy, row.version, row.allowedEndpoints == null ? null : List.copyOf(row.allowedEndpoints));
    }

    private void forget(UUID tenantId) {
        forgotten.incrementAndGet();
        current.invalidate(tenantId);
    }

    /** A policy, or the tenant's settings around it, changed here or on another replica. */
    void onChanged(@Observes DomainEvent event) {
        if (EventType.MODEL_POLICY_CHANGED.topic().equals(event.type())
                || EventType.TENANT_UPDATED.topic().equals(event.type())) {
            forget(event.tenantId());
        }
        TenantService.deletedTenant(event).ifPresent(deleted -> {
            forget(deleted);
            past.asMap().keySet().removeIf(key -> key.tenantId().equals(deleted));
        });
    }

    /**
     * The policy that answers in a conversation started under version {@code startedWith}: that
     * version, so a swap never changes the model mid-conversation, unless the policy in force
     * moves open conversations to itself. A conversation drawn for the canary is answered by the
     * canary model, the primary behind it, for as long as the policy in force still runs that
     * canary or has promoted it: one rolled back (or removed) stops answering at once.
     */
    public PolicyState forConversation(UUID tenantId, int startedWith, boolean canary) {
        PolicyState inForce = current(tenantId).state();
        PolicyState answering = inForce.version() == startedWith
                        || inForce.policy().openConversations() == ModelPolicy.OpenConversations.SWITCH
                ? inForce
                : olderVersion(tenantId, startedWith)
                        .map(policy -> new PolicyState(policy, startedWith))
                        .orElse(inForce);
        ModelPolicy.Canary drawn = answering.policy().canary();
        if (canary
                && drawn != null
                && (drawn.model().equals(inForce.policy().primary())
                        || inForce.policy().canary() != null
                                && inForce.policy().canary().model().equals(drawn.model()))) {
            return new PolicyState(answering.policy().canaryArm(), answering.version());
        }
        return answering;
    }

    private Optional<ModelPolicy> olderVersion(UUID tenantId, int version) {
        PastVersion key = new PastVersion(tenantId, version);
        ModelPolicy known = past.getIfPresent(key);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<ModelPolicy> stored =
                read(tenantId, () -> versions.find(tenantId, version).map(row -> row.policy));
        stored.ifPresent(policy -> past.put(key, policy));
        return stored;
    }

    /** Tenants whose model policy runs a canary: the ones the canary monitor looks at. */
    public List<UUID> withCanary() {
        return TenantScope.asPlatform(
                "canary monitor",
                () -> RequestContexts.within(
                        () -> QuarkusTransaction.requiringNew().call(policies::withCanary)));
    }

    /** Tenants whose policy in force names a model of the endpoint. */
    public List<UUID> tenantsUsing(String endpointId) {
        return TenantScope.asPlatform(
                "endpoint users",
                () -> RequestContexts.within(() -> QuarkusTransaction.requiringNew()
                        .call(() -> policies.listAll().stream()
                                .filter(row -> row.policy.candidates().stream()
                                        .anyMatch(ref -> ref.endpoint().equals(endpointId)))
                                .map(row -> row.tenantId)
                                .toList())));
    }

    @Transactional
    public List<PolicyChange> history(UUID tenantId) {
        return versions.history(tenantId).stream()
                .map(version ->
                        new PolicyChange(version.key.version(), version.policy, version.changedBy, version.createdAt))
                .toList();
    }

    /**
     * What keeps these models from answering for the tenant, field by field: the catalogue, the
     * operator's allowlist, the residency rules and the models' last capability probes.
     */
    public List<Problem.FieldError> problemsWith(UUID tenantId, ModelPolicy policy) {
        return problemsWith(policy, current(tenantId).allowedEndpoints());
    }

    private List<Problem.FieldError> problemsWith(ModelPolicy policy, List<String> allowedEndpoints) {
        List<Problem.FieldError> problems = new ArrayList<>(catalog.problemsWith(policy, allowedEndpoints));
        policy.modelsByField()
                .forEach((field, ref) -> probes.latest(ref.endpoint(), ref.model())
                        .filter(probe -> !probe.passed())
                        .ifPresent(probe -> problems.add(new Problem.FieldError(
                                field, "model '" + ref + "' failed its last capability probe: " + probe.problem()))));
        return problems;
    }

    /**
     * Replaces the model policy. {@code expectedVersion} (from If-Match) guards against
     * overwriting a change the caller has not seen; a policy the catalogue, the operator's
     * allowlist or the residency rules out is refused field by field.
     */
    @Transactional
    public PolicyState update(UUID tenantId, ModelPolicy policy, Integer expectedVersion, String actor) {
        TenantModelPolicy row = policies.find("tenantId", tenantId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Tenant"));
        if (expectedVersion != null && expectedVersion != row.version) {
            throw new ProblemException(
                    ProblemType.PRECONDITION_FAILED,
                    "The model policy changed since version " + expectedVersion + "; it is now at version "
                            + row.version + ". Read it again and retry.");
        }
        List<Problem.FieldError> problems = problemsWith(policy, row.allowedEndpoints);
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems);
        }
        if (!policy.equals(row.policy)) {
            row.policy = policy;
            row.version++;
            row.updatedAt = Instant.now();
            record(row, actor);
            LOG.infof("Tenant %s: model policy version %d set by %s", tenantId, row.version, actor);
        }
        return new PolicyState(row.policy, row.version);
    }

    /**
     * Brings the tenant's policy and allowlist to what its tenant file (or the admin API's create)
     * declares, in the caller's transaction; a file without a policy means the catalogue's default
     * model. The declared policy is applied when the file changes it, so a policy set through the
     * admin API survives restarts until the file itself says otherwise.
     *
     * @return whether the allowlist changed (a change of the tenant's settings, not of its policy)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean applyDeclared(UUID tenantId, ModelPolicy declared, List<String> allowedEndpoints) {
        ModelPolicy policy = declared != null ? declared : ModelPolicy.of(catalog.defaultModel());
        List<String> allowed = allowedEndpoints == null ? null : List.copyOf(allowedEndpoints);
        Instant now = Instant.now();
        TenantModelPolicy row = policies.findByIdOptional(tenantId).orElse(null);
        forget(tenantId);
        if (row == null) {
            row = new TenantModelPolicy();
            row.tenantId = tenantId;
            row.policy = policy;
            row.version = 1;
            row.allowedEndpoints = allowed;
            row.updatedAt = now;
            policies.persist(row);
            record(row, CONFIG_ACTOR);
            return false;
        }
        boolean changedInFile = versions.latestFromConfig(tenantId)
                .map(applied -> !applied.policy.equals(policy))
                .orElse(true);
        if (changedInFile && !policy.equals(row.policy)) {
            row.policy = policy;
            row.version++;
            row.updatedAt = now;
            record(row, CONFIG_ACTOR);
            LOG.infof("Tenant %s: model policy version %d from tenants-config", tenantId, row.version);
        }
        if (Objects.equals(row.allowedEndpoints, allowed)) {
            return false;
        }
        row.allowedEndpoints = allowed == null ? null : new ArrayList<>(allowed);
        row.updatedAt = now;
        return true;
    }

    private void record(TenantModelPolicy row, String actor) {
        ModelPolicyVersion version = new ModelPolicyVersion();
        version.key = new ModelPolicyVersion.Key(row.tenantId, row.version);
        version.policy = row.policy;
        version.changedBy = actor;
        version.createdAt = row.updatedAt;
        versions.persist(version);
        outbox.record(
                EventType.MODEL_POLICY_CHANGED,
                row.tenantId,
                row.tenantId.toString(),
                new PolicyChanged(row.version, row.policy, actor));
        audit.record(
                row.tenantId,
                AuditLog.Action.MODEL_POLICY_CHANGED,
                "version " + row.version,
                Map.of("policy", row.policy, "changedBy", actor));
        forget(row.tenantId);
    }
}
