package io.switchboard.admin;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.model.ModelCatalog;
import io.switchboard.model.ModelPolicies;
import io.switchboard.platform.Problem;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Applies a whole tenant definition (a tenant file, or the admin API's create) across the
 * features it configures, in one transaction: the tenant itself, then its model policy and the
 * endpoints the operator allows it. Provisioning is platform work: the tenant's rows are written
 * before any tenant scope could name it.
 */
@ApplicationScoped
public class TenantProvisioning {

    private final TenantService tenants;
    private final ModelPolicies policies;
    private final ModelCatalog catalog;

    public TenantProvisioning(TenantService tenants, ModelPolicies policies, ModelCatalog catalog) {
        this.tenants = tenants;
        this.policies = policies;
        this.catalog = catalog;
    }

    /** Creates a tenant; unlike applying a tenant file, an existing slug is a conflict. */
    public TenantSettings create(TenantDefinition definition) {
        return TenantScope.asPlatform(
                "create tenant",
                () -> QuarkusTransaction.requiringNew().call(() -> {
                    if (definition.model() != null) {
                        List<Problem.FieldError> problems =
                                catalog.problemsWith(definition.model(), definition.allowedEndpoints()).stream()
                                        .map(problem ->
                                                new Problem.FieldError("model." + problem.field(), problem.message()))
                                        .toList();
                        if (!problems.isEmpty()) {
                            throw ProblemException.invalid(problems);
                        }
                    }
                    TenantSettings created = tenants.create(definition.profile());
                    policies.applyDeclared(created.id(), definition.model(), definition.allowedEndpoints());
                    return created;
                }));
    }

    /** Creates the tenant or brings it to the definition; applying an unchanged definition writes nothing. */
    public TenantSettings apply(TenantDefinition definition) {
        return TenantScope.asPlatform(
                "apply tenant definition",
                () -> QuarkusTransaction.requiringNew().call(() -> {
                    TenantSettings applied = tenants.apply(definition.profile());
                    if (policies.applyDeclared(applied.id(), definition.model(), definition.allowedEndpoints())) {
                        tenants.featureSettingsChanged(applied.id());
                    }
                    return applied;
                }));
    }
}
