package io.switchboard.admin;

import io.quarkus.runtime.StartupEvent;
import io.switchboard.knowledge.ArticleIngestion;
import io.switchboard.model.ModelCatalog;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.StartupLock;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.validation.Validator;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Applies tenants-config at startup. The whole directory is validated first, so one bad file
 * stops startup with every problem listed and nothing half-applied.
 */
@ApplicationScoped
public class TenantConfigLoader {

    private static final Logger LOG = Logger.getLogger(TenantConfigLoader.class);

    private final TenantFilesConfig config;
    private final TenantProvisioning provisioning;
    private final ArticleIngestion ingestion;
    private final Validator validator;
    private final ModelCatalog catalog;
    private final TenantOnboarding onboarding;
    private final StartupLock startupLock;

    public TenantConfigLoader(
            TenantFilesConfig config,
            TenantProvisioning provisioning,
            ArticleIngestion ingestion,
            Validator validator,
            ModelCatalog catalog,
            TenantOnboarding onboarding,
            StartupLock startupLock) {
        this.onboarding = onboarding;
        this.startupLock = startupLock;
        this.config = config;
        this.provisioning = provisioning;
        this.ingestion = ingestion;
        this.validator = validator;
        this.catalog = catalog;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.load()) {
            startupLock.runAlone(() -> load(Path.of(config.directory())));
        }
    }

    public void load(Path directory) {
        List<TenantConfigParser.ParsedTenant> parsed =
                new TenantConfigParser(validator, catalog::problemsWith).parse(directory);
        for (TenantConfigParser.ParsedTenant tenant : parsed) {
            TenantSettings settings = provisioning.apply(tenant.definition());
            onboarding.ensureIdentity(settings.slug());
            TenantScope.run(settings.id(), () -> ingestion.importArticles(tenant.articles()));
        }
        LOG.infof("Applied %d tenant file(s) from %s", parsed.size(), directory.toAbsolutePath());
    }
}
