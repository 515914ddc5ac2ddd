package io.switchboard.tenant;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.assistant.ConsumptionLimits;
import io.switchboard.events.DomainEvent;
import io.switchboard.events.EventType;
import io.switchboard.events.Outbox;
import io.switchboard.handoff.EscalationRules;
import io.switchboard.model.ModelCatalog;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.model.ProbeService;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.Problem;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.RequestContexts;
import io.switchboard.platform.Secrets;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

@Singleton
public class TenantService {

    private static final Logger LOG = Logger.getLogger(TenantService.class);

    /** Who changed a policy when tenants-config did. */
    public static final String CONFIG_ACTOR = "tenants-config";
    /** The longest a replica trusts tenant settings it read, should an event about a change never arrive. */
    static final Duration SETTINGS_REMEMBERED = Duration.ofSeconds(30);

    private record Remembered(TenantSettings settings, long validUntilNanos) {
    }

    private final Map<UUID, Remembered> settingsById = new ConcurrentHashMap<>();
    /** Counts forgettings: settings read while one happened may be stale and are not remembered. */
    private final java.util.concurrent.atomic.AtomicLong forgotten = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, UUID> idBySlug = new ConcurrentHashMap<>();

    private final TenantRepository tenants;
    private final ModelPolicyVersionRepository policyVersions;
    private final ModelCatalog catalog;
    private final ProbeService probes;
    private final Outbox outbox;
    private final AuditLog audit;

    /** Past policy versions by "tenant/version"; bounded by the versions conversations still run on. */
    private final Map<String, ModelPolicy> pastPolicies = new ConcurrentHashMap<>();

    public TenantService(TenantRepository tenants, ModelPolicyVersionRepository policyVersions, ModelCatalog catalog,
            ProbeService probes, Outbox outbox, AuditLog audit) {
        this.tenants = tenants;
        this.policyVersions = policyVersions;
        this.catalog = catalog;
        this.probes = probes;
        this.outbox = outbox;
        this.audit = audit;
    }

    /** The data of a policy-changed event. */
    public record PolicyChanged(int version, ModelPolicy policy, String changedBy) {
    }

    /** The data of a tenant-updated event: the tenant's settings changed (not its model policy, which has its own event). */
    public record Updated(int configVersion) {
    }

    /**
     * A tenant's settings, read on every widget and API call, from memory when this replica read
     * them less than {@link #SETTINGS_REMEMBERED} ago. A change forgets them here at once and, through
     * its event, on every replica.
     */
    public Optional<TenantSettings> findBySlug(String slug) {
        UUID id = idBySlug.get(slug);
        TenantSettings remembered = id == null ? null : remembered(id);
        if (remembered != null && remembered.slug().equals(slug)) {
            return Optional.of(remembered);
        }
        long before = forgotten.get();
        return read(() -> tenants.findBySlug(slug).map(tenant -> remember(tenant, before)));
    }

    /** The settings when this replica holds them in memory; never reads the database (for event-loop callers). */
    public Optional<TenantSettings> findRemembered(UUID id) {
        return Optional.ofNullable(remembered(id));
    }

    /** The tenant's settings; empty for an unknown id or none (a platform-wide event names no tenant). */
    public Optional<TenantSettings> findById(UUID id) {
        if (id == null) {
            return Optional.empty();
        }
        TenantSettings remembered = remembered(id);
        if (remembered != null) {
            return Optional.of(remembered);
        }
        long before = forgotten.get();
        return read(() -> tenants.findByIdOptional(id).map(tenant -> remember(tenant, before)));
    }

    /**
     * Settings are read from anywhere: requests, event consumers, authentication (before any
     * request context exists). Hibernate resolves its tenant only in a request context, so one is
     * opened for the read when the caller has none.
     */
    private static <T> T read(java.util.concurrent.Callable<T> query) {
        return RequestContexts.within(() -> QuarkusTransaction.joiningExisting().call(query));
    }

    private TenantSettings remembered(UUID id) {
        Remembered remembered = settingsById.get(id);
        return remembered == null || System.nanoTime() - remembered.validUntilNanos() > 0 ? null : remembered.settings();
    }

    private TenantSettings remember(Tenant tenant, long forgottenBefore) {
        TenantSettings settings = TenantSettings.of(tenant);
        if (forgotten.get() == forgottenBefore) {
            settingsById.put(tenant.id, new Remembered(settings, System.nanoTime() + SETTINGS_REMEMBERED.toNanos()));
            idBySlug.put(tenant.slug, tenant.id);
        }
        return settings;
    }

    private void forget(UUID tenantId) {
        forgotten.incrementAndGet();
        settingsById.remove(tenantId);
    }

    /** A tenant changed, here or on another replica. */
    void onChanged(@Observes DomainEvent event) {
        if (EventType.MODEL_POLICY_CHANGED.topic().equals(event.type()) || EventType.TENANT_UPDATED.topic().equals(event.type())) {
            forget(event.tenantId());
        }
        deletedTenant(event).ifPresent(deleted -> {
            forget(deleted);
            idBySlug.values().removeIf(deleted::equals);
            pastPolicies.keySet().removeIf(key -> key.startsWith(deleted + "/"));
        });
    }

    /** The data of a tenant-deleted event; it names no tenant of its own (see {@link #deletedTenant}). */
    public record Deleted(UUID tenantId, String slug) {
    }

    /** The tenant a tenant-deleted event is about: its key, since the tenant no longer exists to own the event. */
    public static Optional<UUID> deletedTenant(DomainEvent event) {
        return EventType.TENANT_DELETED.topic().equals(event.type()) ? Optional.of(UUID.fromString(event.key())) : Optional.empty();
    }

    /** What the admin API may change of a tenant; null leaves a part as it is. */
    public record Changes(String name, List<String> allowedOrigins, String persona, String instructions, String greeting,
            List<String> allowedLinkDomains, ConsumptionLimits limits, EscalationRules escalation, WidgetLook widgetLook) {
    }

    /** Creates a tenant through the admin API; unlike applying a tenant file, an existing slug is a conflict. */
    public TenantSettings create(TenantDefinition definition) {
        return TenantScope.asPlatform("create tenant", () -> QuarkusTransaction.requiringNew().call(() -> {
            if (tenants.findBySlug(definition.slug()).isPresent()) {
                throw new ProblemException(ProblemType.CONFLICT, "A tenant with the slug '" + definition.slug() + "' exists already");
            }
            if (definition.model() != null) {
                List<Problem.FieldError> problems = catalog.problemsWith(definition.model(), definition.allowedEndpoints()).stream()
                        .map(problem -> new Problem.FieldError("model." + problem.field(), problem.message())).toList();
                if (!problems.isEmpty()) {
                    throw ProblemException.invalid(problems);
                }
            }
            TenantSettings created = applyNow(definition);
            audit.record(created.id(), AuditLog.Action.TENANT_CREATED, created.slug(), Map.of("name", created.name()));
            return created;
        }));
    }

    @Transactional
    public TenantSettings update(UUID tenantId, Changes changes) {
        Tenant tenant = tenants.find("id", tenantId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Tenant"));
        List<String> changed = new ArrayList<>();
        changeIfGiven(changes.name(), tenant.name, value -> tenant.name = value.strip(), "name", changed);
        changeIfGiven(changes.allowedOrigins(), tenant.allowedOrigins, value -> tenant.allowedOrigins = new ArrayList<>(value),
                "allowedOrigins", changed);
        changeIfGiven(changes.persona(), tenant.persona, value -> tenant.persona = value.strip(), "persona", changed);
        changeIfGiven(changes.instructions(), tenant.instructions, value -> tenant.instructions = value.strip(), "instructions", changed);
        changeIfGiven(changes.greeting(), tenant.greeting, value -> tenant.greeting = value.strip(), "greeting", changed);
        changeIfGiven(changes.allowedLinkDomains(), tenant.allowedLinkDomains,
                value -> tenant.allowedLinkDomains = new ArrayList<>(value), "allowedLinkDomains", changed);
        changeIfGiven(changes.limits(), tenant.limits, value -> tenant.limits = value, "limits", changed);
        changeIfGiven(changes.escalation(), tenant.escalation, value -> tenant.escalation = value, "escalation", changed);
        changeIfGiven(changes.widgetLook(), tenant.widgetLook, value -> tenant.widgetLook = value, "widgetLook", changed);
        if (!changed.isEmpty()) {
            tenant.configVersion++;
            tenant.updatedAt = Instant.now();
            outbox.record(EventType.TENANT_UPDATED, tenant.id, tenant.id.toString(), new Updated(tenant.configVersion));
            audit.record(tenant.id, AuditLog.Action.TENANT_UPDATED, tenant.slug, Map.of("changed", changed));
            forget(tenant.id);
        }
        return TenantSettings.of(tenant);
    }

    private static <T> void changeIfGiven(T given, T current, Consumer<T> set, String field, List<String> changed) {
        if (given != null && !given.equals(current)) {
            set.accept(given);
            changed.add(field);
        }
    }

    /**
     * Deletes the tenant and every row it owns, in every table with a tenant_id (read from the
     * schema, so a new table is never forgotten) except the audit log, which keeps the record of
     * who deleted it, and the outbox, whose tenant-deleted event tells every replica to drop
     * what it holds of the tenant.
     */
    public void delete(UUID tenantId) {
        // Platform work: besides the tenant's rows it writes the tenant-deleted event, which no tenant owns.
        TenantScope.asPlatform("delete tenant", () -> QuarkusTransaction.requiringNew().run(() -> {
            Tenant tenant = tenants.findByIdOptional(tenantId).orElseThrow(() -> ProblemException.notFound("Tenant"));
            EntityManager entities = tenants.getEntityManager();
            @SuppressWarnings("unchecked")
            List<String> owned = entities.createNativeQuery("""
                    select c.table_name from information_schema.columns c
                    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                    where c.table_schema = current_schema() and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
                      and c.table_name not in ('audit_log', 'outbox_event')""").getResultList();
            for (String table : owned) {
                entities.createNativeQuery("delete from \"" + table + "\" where tenant_id = ?1").setParameter(1, tenantId).executeUpdate();
            }
            // Recorded as a platform event: the tenant's own outbox rows go with it, this one must be published.
            outbox.record(EventType.TENANT_DELETED, null, tenantId.toString(), new Deleted(tenantId, tenant.slug));
            audit.record(tenantId, AuditLog.Action.TENANT_DELETED, tenant.slug, Map.of("name", tenant.name));
            tenants.delete(tenant);
            LOG.infof("Tenant %s deleted with all its data", tenant.slug);
        }));
        forget(tenantId);
        idBySlug.values().removeIf(tenantId::equals);
    }

    /** Every tenant, by slug, for the platform admin. */
    @Transactional
    public List<TenantSettings> list() {
        return tenants.listAll(io.quarkus.panache.common.Sort.ascending("slug")).stream().map(TenantSettings::of).toList();
    }

    @Transactional
    public List<UUID> allIds() {
        return tenants.findAll().stream().map(tenant -> tenant.id).toList();
    }

    /**
     * The tenant's next conversation number, in a transaction of its own: the tenant's row is
     * locked for this update only, not for the whole start of a conversation, so conversations
     * opened at once do not wait for one another. A start that fails after this leaves a gap.
     */
    @Transactional(Transactional.TxType.NEVER)
    public long nextConversationNumber(UUID tenantId) {
        return numberInOwnTransaction(tenantId);
    }

    @Transactional
    long numberInOwnTransaction(UUID tenantId) {
        return tenants.nextConversationNumber(tenantId);
    }

    /** The model policy in force, with its version (the ETag of the policy resource). */
    public record PolicyState(ModelPolicy policy, int version) {
    }

    /** A past change of the model policy. */
    public record PolicyChange(int version, ModelPolicy policy, String changedBy, Instant at) {
    }

    /**
     * Creates the tenant or brings it to the definition. Applying an unchanged definition writes
     * nothing; a change bumps the configuration version recorded on later bot messages. The
     * file's model policy is applied when the file changes it, so a policy set through the admin
     * API survives restarts until the file itself says otherwise.
     */
    public TenantSettings apply(TenantDefinition definition) {
        // Provisioning is platform work: the tenant's rows are written before any tenant scope could name it.
        return TenantScope.asPlatform("apply tenant definition", () -> QuarkusTransaction.requiringNew().call(() -> applyNow(definition)));
    }

    private TenantSettings applyNow(TenantDefinition definition) {
        ModelPolicy policy = definition.model() != null ? definition.model() : ModelPolicy.of(catalog.defaultModel());
        Instant now = Instant.now();
        Tenant tenant = tenants.findBySlug(definition.slug()).orElse(null);
        if (tenant == null) {
            tenant = new Tenant();
            tenant.id = UUID.randomUUID();
            tenant.slug = definition.slug();
            tenant.canary = "sbc" + Secrets.newSecret("").replaceAll("[^A-Za-z0-9]", "").substring(0, 20).toLowerCase(java.util.Locale.ROOT);
            tenant.createdAt = now;
            tenant.modelPolicy = policy;
            copy(definition, tenant);
            tenant.updatedAt = now;
            tenants.persist(tenant);
            recordPolicy(tenant, CONFIG_ACTOR, now);
            LOG.infof("Tenant %s created", tenant.slug);
            return TenantSettings.of(tenant);
        }
        boolean policyChangedInFile = policyVersions.latestFromConfig(tenant.id)
                .map(applied -> !applied.policy.equals(policy)).orElse(true);
        if (policyChangedInFile && !policy.equals(tenant.modelPolicy)) {
            tenant.modelPolicy = policy;
            tenant.modelPolicyVersion++;
            recordPolicy(tenant, CONFIG_ACTOR, now);
            LOG.infof("Tenant %s: model policy version %d from tenants-config", tenant.slug, tenant.modelPolicyVersion);
        }
        if (!matches(definition, tenant)) {
            copy(definition, tenant);
            tenant.configVersion++;
            tenant.updatedAt = now;
            outbox.record(EventType.TENANT_UPDATED, tenant.id, tenant.id.toString(), new Updated(tenant.configVersion));
            LOG.infof("Tenant %s updated to configuration version %d", tenant.slug, tenant.configVersion);
        }
        forget(tenant.id);
        return TenantSettings.of(tenant);
    }

    /** Tenants whose model policy runs a canary: the ones the canary monitor looks at. */
    public List<UUID> withCanary() {
        return TenantScope.asPlatform("canary monitor", () -> RequestContexts.within(() -> QuarkusTransaction.requiringNew().call(() ->
                tenants.getEntityManager()
                        .createNativeQuery("select id from tenant where jsonb_typeof(model_policy -> 'canary') = 'object'", UUID.class)
                        .getResultList())));
    }

    /** A past version of the tenant's policy, read once: versions are never changed after they are written. */
    private Optional<ModelPolicy> olderVersion(UUID tenantId, int version) {
        String key = tenantId + "/" + version;
        ModelPolicy known = pastPolicies.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<ModelPolicy> stored = read(() -> policyVersions.find(tenantId, version).map(row -> row.policy));
        stored.ifPresent(policy -> pastPolicies.put(key, policy));
        return stored;
    }

    @Transactional
    public PolicyState modelPolicy(UUID tenantId) {
        Tenant tenant = tenants.findByIdOptional(tenantId).orElseThrow(() -> ProblemException.notFound("Tenant"));
        return new PolicyState(tenant.modelPolicy, tenant.modelPolicyVersion);
    }

    /**
     * The policy that answers in a conversation started under version {@code startedWith}: that
     * version, so a swap never changes the model mid-conversation, unless the policy in force
     * moves open conversations to itself. A conversation drawn for the canary is answered by the
     * canary model, the primary behind it, for as long as the policy in force still runs that
     * canary or has promoted it: one rolled back (or removed) stops answering at once.
     */
    public PolicyState policyForConversation(UUID tenantId, int startedWith, boolean canary) {
        // Read per turn: the policy in force comes from the remembered settings, older versions never change.
        TenantSettings settings = findById(tenantId).orElseThrow(() -> ProblemException.notFound("Tenant"));
        PolicyState current = new PolicyState(settings.modelPolicy(), settings.modelPolicyVersion());
        PolicyState answering = current.version() == startedWith || current.policy().openConversations() == ModelPolicy.OpenConversations.SWITCH
                ? current
                : olderVersion(tenantId, startedWith).map(policy -> new PolicyState(policy, startedWith)).orElse(current);
        ModelPolicy.Canary drawn = answering.policy().canary();
        if (canary && drawn != null && (drawn.model().equals(current.policy().primary())
                || current.policy().canary() != null && current.policy().canary().model().equals(drawn.model()))) {
            return new PolicyState(answering.policy().canaryArm(), answering.version());
        }
        return answering;
    }

    @Transactional
    public List<PolicyChange> modelPolicyHistory(UUID tenantId) {
        return policyVersions.history(tenantId).stream()
                .map(version -> new PolicyChange(version.key.version(), version.policy, version.changedBy, version.createdAt))
                .toList();
    }

    /**
     * What keeps these models from answering for the tenant, field by field: the catalogue, the
     * operator's allowlist, the residency rules and the models' last capability probes.
     */
    @Transactional
    public List<Problem.FieldError> problemsWithModels(UUID tenantId, ModelPolicy policy) {
        return problemsWith(tenants.find("id", tenantId).firstResultOptional().orElseThrow(() -> ProblemException.notFound("Tenant")), policy);
    }

    private List<Problem.FieldError> problemsWith(Tenant tenant, ModelPolicy policy) {
        List<Problem.FieldError> problems = new java.util.ArrayList<>(catalog.problemsWith(policy, tenant.allowedEndpoints));
        policy.modelsByField().forEach((field, ref) -> probes.latest(ref.endpoint(), ref.model()).filter(probe -> !probe.passed())
                .ifPresent(probe -> problems.add(new Problem.FieldError(field,
                        "model '" + ref + "' failed its last capability probe: " + probe.problem()))));
        return problems;
    }

    /**
     * Replaces the model policy. {@code expectedVersion} (from If-Match) guards against
     * overwriting a change the caller has not seen; a policy the catalogue, the operator's
     * allowlist or the residency rules out is refused field by field.
     */
    @Transactional
    public PolicyState updateModelPolicy(UUID tenantId, ModelPolicy policy, Integer expectedVersion, String actor) {
        Tenant tenant = tenants.find("id", tenantId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Tenant"));
        if (expectedVersion != null && expectedVersion != tenant.modelPolicyVersion) {
            throw new ProblemException(ProblemType.PRECONDITION_FAILED, "The model policy changed since version "
                    + expectedVersion + "; it is now at version " + tenant.modelPolicyVersion + ". Read it again and retry.");
        }
        List<Problem.FieldError> problems = problemsWith(tenant, policy);
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems);
        }
        if (!policy.equals(tenant.modelPolicy)) {
            Instant now = Instant.now();
            tenant.modelPolicy = policy;
            tenant.modelPolicyVersion++;
            tenant.updatedAt = now;
            recordPolicy(tenant, actor, now);
            LOG.infof("Tenant %s: model policy version %d set by %s", tenant.slug, tenant.modelPolicyVersion, actor);
        }
        return new PolicyState(tenant.modelPolicy, tenant.modelPolicyVersion);
    }

    private void recordPolicy(Tenant tenant, String actor, Instant now) {
        ModelPolicyVersion version = new ModelPolicyVersion();
        version.key = new ModelPolicyVersion.Key(tenant.id, tenant.modelPolicyVersion);
        version.policy = tenant.modelPolicy;
        version.changedBy = actor;
        version.createdAt = now;
        policyVersions.persist(version);
        outbox.record(EventType.MODEL_POLICY_CHANGED, tenant.id, tenant.id.toString(),
                new PolicyChanged(tenant.modelPolicyVersion, tenant.modelPolicy, actor));
        audit.record(tenant.id, AuditLog.Action.MODEL_POLICY_CHANGED, "version " + tenant.modelPolicyVersion,
                Map.of("policy", tenant.modelPolicy, "changedBy", actor));
        forget(tenant.id);
    }

    private static void copy(TenantDefinition definition, Tenant tenant) {
        tenant.name = definition.name();
        tenant.allowedOrigins = new java.util.ArrayList<>(definition.allowedOrigins());
        tenant.persona = definition.assistant().persona();
        tenant.instructions = definition.assistant().instructions();
        tenant.greeting = definition.assistant().greeting();
        tenant.allowedLinkDomains = new java.util.ArrayList<>(definition.assistant().allowedLinkDomains());
        tenant.limits = definition.assistant().limits();
        tenant.allowedEndpoints = definition.allowedEndpoints() == null ? null : new java.util.ArrayList<>(definition.allowedEndpoints());
        tenant.minAnswerConfidence = definition.knowledge().minConfidence();
        tenant.escalation = definition.escalation();
        tenant.identitySecretRef = definition.widget().identitySecretEnv();
        tenant.requireVerifiedIdentity = definition.widget().requireVerifiedIdentity();
        tenant.widgetLook = definition.widget().look();
    }

    private static boolean matches(TenantDefinition definition, Tenant tenant) {
        return Objects.equals(tenant.name, definition.name())
                && Objects.equals(tenant.allowedOrigins, definition.allowedOrigins())
                && Objects.equals(tenant.persona, definition.assistant().persona())
                && Objects.equals(tenant.instructions, definition.assistant().instructions())
                && Objects.equals(tenant.greeting, definition.assistant().greeting())
                && Objects.equals(tenant.allowedLinkDomains, definition.assistant().allowedLinkDomains())
                && Objects.equals(tenant.limits, definition.assistant().limits())
                && Objects.equals(tenant.allowedEndpoints, definition.allowedEndpoints())
                && Objects.equals(tenant.escalation, definition.escalation())
                && Objects.equals(tenant.identitySecretRef, definition.widget().identitySecretEnv())
                && tenant.requireVerifiedIdentity == definition.widget().requireVerifiedIdentity().booleanValue()
                && Objects.equals(tenant.widgetLook, definition.widget().look())
                && tenant.minAnswerConfidence == definition.knowledge().minConfidence();
    }
}
