package io.switchboard.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.events.DomainEvent;
import io.switchboard.events.EventType;
import io.switchboard.events.Outbox;
import io.switchboard.events.OutboxEvent;
import io.switchboard.platform.AuditEntry;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.Secrets;
import io.switchboard.platform.TenantRows;
import io.switchboard.platform.TenantScope;
import jakarta.inject.Singleton;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/** Creates, changes and deletes tenants, and hands out their settings as {@link RememberedTenants} keeps them. */
@Singleton
public class TenantService {

    private static final Logger LOG = Logger.getLogger(TenantService.class);

    private final TenantRepository tenants;
    private final Outbox outbox;
    private final AuditLog audit;
    private final TenantRows rows;
    private final RememberedTenants remembered;

    TenantService(
            TenantRepository tenants, Outbox outbox, AuditLog audit, TenantRows rows, RememberedTenants remembered) {
        this.tenants = tenants;
        this.outbox = outbox;
        this.audit = audit;
        this.rows = rows;
        this.remembered = remembered;
    }

    /** The data of a tenant-updated event: the tenant's settings changed (its model policy has an event of its own). */
    public record Updated(int configVersion) {}

    /** A tenant's settings, read on every widget and API call, so served from {@link RememberedTenants memory}. */
    public Optional<TenantSettings> findBySlug(String slug) {
        return remembered.findBySlug(slug);
    }

    /** The settings when this replica holds them in memory; never reads the database (for event-loop callers). */
    public Optional<TenantSettings> findRemembered(UUID id) {
        return remembered.findRemembered(id);
    }

    /** The tenant's settings; empty for an unknown id or none (a platform-wide event names no tenant). */
    public Optional<TenantSettings> findById(UUID id) {
        return remembered.findById(id);
    }

    /** The data of a tenant-deleted event; it names no tenant of its own (see {@link #deletedTenant}). */
    public record Deleted(UUID tenantId, String slug) {}

    /** The tenant a tenant-deleted event is about: its key, since the tenant no longer exists to own the event. */
    public static Optional<UUID> deletedTenant(DomainEvent event) {
        return EventType.TENANT_DELETED.topic().equals(event.type())
                ? Optional.of(UUID.fromString(event.key()))
                : Optional.empty();
    }

    /**
     * What the admin API may change of a tenant; null leaves a part as it is, and a section not
     * named in {@code sections} keeps its settings.
     */
    public record Changes(
            String name,
            List<String> allowedOrigins,
            String persona,
            String instructions,
            String greeting,
            List<String> allowedLinkDomains,
            Map<String, JsonNode> sections,
            WidgetLook widgetLook) {}

    /**
     * Creates a tenant, in the caller's platform transaction; unlike applying a tenant file, an
     * existing slug is a conflict.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TenantSettings create(TenantProfile profile) {
        if (tenants.findBySlug(profile.slug()).isPresent()) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "A tenant with the slug '" + profile.slug() + "' exists already");
        }
        TenantSettings created = apply(profile);
        audit.record(created.id(), AuditLog.Action.TENANT_CREATED, created.slug(), Map.of("name", created.name()));
        return created;
    }

    @Transactional
    public TenantSettings update(UUID tenantId, Changes changes) {
        Tenant tenant = tenants.find("id", tenantId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Tenant"));
        List<String> changed = new ArrayList<>();
        changeIfGiven(changes.name(), tenant.name, value -> tenant.name = value.strip(), "name", changed);
        changeIfGiven(
                changes.allowedOrigins(),
                tenant.allowedOrigins,
                value -> tenant.allowedOrigins = new ArrayList<>(value),
                "allowedOrigins",
                changed);
        changeIfGiven(changes.persona(), tenant.persona, value -> tenant.persona = value.strip(), "persona", changed);
        changeIfGiven(
                changes.instructions(),
                tenant.instructions,
                value -> tenant.instructions = value.strip(),
                "instructions",
                changed);
        changeIfGiven(
                changes.greeting(), tenant.greeting, value -> tenant.greeting = value.strip(), "greeting", changed);
        changeIfGiven(
                changes.allowedLinkDomains(),
                tenant.allowedLinkDomains,
                value -> tenant.allowedLinkDomains = new ArrayList<>(value),
                "allowedLinkDomains",
                changed);
        if (changes.sections() != null) {
            changes.sections()
                    .forEach((name, section) -> changeIfGiven(
                            section,
                            tenant.sections.get(name),
                            value -> tenant.sections.put(name, value),
                            name,
                            changed));
        }
        changeIfGiven(
                changes.widgetLook(), tenant.widgetLook, value -> tenant.widgetLook = value, "widgetLook", changed);
        if (!changed.isEmpty()) {
            newConfigVersion(tenant, Instant.now());
            audit.record(tenant.id, AuditLog.Action.TENANT_UPDATED, tenant.slug, Map.of("changed", changed));
            remembered.forget(tenant.id);
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
        TenantScope.asPlatform(
                "delete tenant",
                () -> QuarkusTransaction.requiringNew().run(() -> {
                    Tenant tenant =
                            tenants.findByIdOptional(tenantId).orElseThrow(() -> ProblemException.notFound("Tenant"));
                    rows.eraseAll(tenantId, Set.of(AuditEntry.TABLE, OutboxEvent.TABLE));
                    // Recorded as a platform event: the tenant's own outbox rows go with it, this one must be
                    // published.
                    outbox.record(
                            EventType.TENANT_DELETED, null, tenantId.toString(), new Deleted(tenantId, tenant.slug));
                    audit.record(tenantId, AuditLog.Action.TENANT_DELETED, tenant.slug, Map.of("name", tenant.name));
                    tenants.delete(tenant);
                    LOG.infof("Tenant %s deleted with all its data", tenant.slug);
                }));
        remembered.forgetDeleted(tenantId);
    }

    /** Every tenant, by slug, for the platform admin. */
    @Transactional
    public List<TenantSettings> list() {
        return tenants.listAll(io.quarkus.panache.common.Sort.ascending("slug")).stream()
                .map(TenantSettings::of)
                .toList();
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

    /**
     * Creates the tenant or brings it to the profile, in the caller's platform transaction (the
     * tenant's rows are written before any tenant scope could name it). Applying an unchanged
     * profile writes nothing; a change bumps the configuration version recorded on later bot
     * messages.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TenantSettings apply(TenantProfile profile) {
        Instant now = Instant.now();
        Tenant tenant = tenants.findBySlug(profile.slug()).orElse(null);
        if (tenant == null) {
            tenant = new Tenant();
            tenant.id = UUID.randomUUID();
            tenant.slug = profile.slug();
            tenant.canary = "sbc"
                    + Secrets.newSecret("")
                            .replaceAll("[^A-Za-z0-9]", "")
                            .substring(0, 20)
                            .toLowerCase(java.util.Locale.ROOT);
            tenant.createdAt = now;
            copy(profile, tenant);
            tenant.updatedAt = now;
            tenants.persist(tenant);
            LOG.infof("Tenant %s created", tenant.slug);
            return TenantSettings.of(tenant);
        }
        if (!matches(profile, tenant)) {
            copy(profile, tenant);
            newConfigVersion(tenant, now);
        }
        remembered.forget(tenant.id);
        return TenantSettings.of(tenant);
    }

    /** Settings a feature keeps of its own for the tenant changed: later bot messages record a new configuration version. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void featureSettingsChanged(UUID tenantId) {
        Tenant tenant = tenants.find("id", tenantId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Tenant"));
        newConfigVersion(tenant, Instant.now());
        remembered.forget(tenantId);
    }

    private void newConfigVersion(Tenant tenant, Instant now) {
        tenant.configVersion++;
        tenant.updatedAt = now;
        outbox.record(EventType.TENANT_UPDATED, tenant.id, tenant.id.toString(), new Updated(tenant.configVersion));
        LOG.infof("Tenant %s updated to configuration version %d", tenant.slug, tenant.configVersion);
    }

    private static void copy(TenantProfile profile, Tenant tenant) {
        tenant.name = profile.name();
        tenant.allowedOrigins = new ArrayList<>(profile.allowedOrigins());
        tenant.persona = profile.persona();
        tenant.instructions = profile.instructions();
        tenant.greeting = profile.greeting();
        tenant.allowedLinkDomains = new ArrayList<>(profile.allowedLinkDomains());
        tenant.sections = new HashMap<>(profile.sections());
        tenant.minAnswerConfidence = profile.minAnswerConfidence();
        tenant.identitySecretRef = profile.identitySecretRef();
        tenant.requireVerifiedIdentity = profile.requireVerifiedIdentity();
        tenant.widgetLook = profile.widgetLook();
    }

    private static boolean matches(TenantProfile profile, Tenant tenant) {
        return Objects.equals(tenant.name, profile.name())
                && Objects.equals(tenant.allowedOrigins, profile.allowedOrigins())
                && Objects.equals(tenant.persona, profile.persona())
                && Objects.equals(tenant.instructions, profile.instructions())
                && Objects.equals(tenant.greeting, profile.greeting())
                && Objects.equals(tenant.allowedLinkDomains, profile.allowedLinkDomains())
                && Objects.equals(tenant.sections, profile.sections())
                && Objects.equals(tenant.identitySecretRef, profile.identitySecretRef())
                && tenant.requireVerifiedIdentity == profile.requireVerifiedIdentity()
                && Objects.equals(tenant.widgetLook, profile.widgetLook())
                && tenant.minAnswerConfidence == profile.minAnswerConfidence();
    }
}
