package io.switchboard.tenant;

import io.switchboard.model.ModelCatalog;
import io.switchboard.model.ModelPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

@ApplicationScoped
public class TenantService {

    private static final Logger LOG = Logger.getLogger(TenantService.class);

    private final TenantRepository tenants;
    private final ModelCatalog catalog;

    public TenantService(TenantRepository tenants, ModelCatalog catalog) {
        this.tenants = tenants;
        this.catalog = catalog;
    }

    @Transactional
    public Optional<TenantSettings> findBySlug(String slug) {
        return tenants.findBySlug(slug).map(TenantSettings::of);
    }

    @Transactional
    public Optional<TenantSettings> findById(UUID id) {
        return tenants.findByIdOptional(id).map(TenantSettings::of);
    }

    @Transactional
    public List<UUID> allIds() {
        return tenants.findAll().stream().map(tenant -> tenant.id).toList();
    }

    /** Joins the caller's transaction: the number is used only if the conversation is stored. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long nextConversationNumber(UUID tenantId) {
        return tenants.nextConversationNumber(tenantId);
    }

    /**
     * Creates the tenant or brings it to the definition. Applying an unchanged definition writes
     * nothing; a change bumps the configuration version recorded on later bot messages.
     */
    @Transactional
    public TenantSettings apply(TenantDefinition definition) {
        ModelPolicy policy = definition.model() != null ? definition.model() : ModelPolicy.of(catalog.defaultModel());
        Instant now = Instant.now();
        Tenant tenant = tenants.findBySlug(definition.slug()).orElse(null);
        if (tenant == null) {
            tenant = new Tenant();
            tenant.id = UUID.randomUUID();
            tenant.slug = definition.slug();
            tenant.createdAt = now;
            copy(definition, policy, tenant);
            tenant.updatedAt = now;
            tenants.persist(tenant);
            LOG.infof("Tenant %s created", tenant.slug);
        } else if (!matches(definition, policy, tenant)) {
            copy(definition, policy, tenant);
            tenant.configVersion++;
            tenant.updatedAt = now;
            LOG.infof("Tenant %s updated to configuration version %d", tenant.slug, tenant.configVersion);
        }
        return TenantSettings.of(tenant);
    }

    private static void copy(TenantDefinition definition, ModelPolicy policy, Tenant tenant) {
        tenant.name = definition.name();
        tenant.allowedOrigins = new java.util.ArrayList<>(definition.allowedOrigins());
        tenant.persona = definition.assistant().persona();
        tenant.instructions = definition.assistant().instructions();
        tenant.greeting = definition.assistant().greeting();
        tenant.modelPolicy = policy;
        tenant.minAnswerConfidence = definition.knowledge().minConfidence();
    }

    private static boolean matches(TenantDefinition definition, ModelPolicy policy, Tenant tenant) {
        return Objects.equals(tenant.name, definition.name())
                && Objects.equals(tenant.allowedOrigins, definition.allowedOrigins())
                && Objects.equals(tenant.persona, definition.assistant().persona())
                && Objects.equals(tenant.instructions, definition.assistant().instructions())
                && Objects.equals(tenant.greeting, definition.assistant().greeting())
                && Objects.equals(tenant.modelPolicy, policy)
                && tenant.minAnswerConfidence == definition.knowledge().minConfidence();
    }
}
