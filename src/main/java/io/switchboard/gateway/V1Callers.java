package io.switchboard.gateway;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.switchboard.model.ModelPolicies;
import io.switchboard.tenant.Caller;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Who calls a {@code /v1} route: the tenant of the API key, with its settings and the model policy
 * its calls run under. A route reads them from memory on the event loop when it can ({@link
 * #remembered}), and otherwise on a worker ({@link #load}), as that may read the database.
 */
@Singleton
class V1Callers {

    /** The caller's tenant and its current model policy. */
    record Known(TenantSettings tenant, ModelPolicies.Current policy) {}

    private final TenantService tenants;
    private final ModelPolicies policies;

    V1Callers(TenantService tenants, ModelPolicies policies) {
        this.tenants = tenants;
        this.policies = policies;
    }

    /** The tenant of the caller's key; a missing key or a platform key is refused as OpenAI refuses a bad key. */
    static UUID tenantOf(RoutingContext context) {
        SecurityIdentity identity = context.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        if (identity == null || identity.isAnonymous()) {
            throw new Refusal(
                    401,
                    "Provide a tenant API key: Authorization: Bearer sbk_...",
                    "invalid_request_error",
                    "invalid_api_key");
        }
        UUID tenantId = identity.getAttribute(Caller.TENANT_ATTRIBUTE);
        if (tenantId == null) {
            throw new Refusal(
                    403,
                    "Use an API key of a tenant: the model policy is per tenant",
                    "invalid_request_error",
                    "tenant_key_required");
        }
        return tenantId;
    }

    /** The same for a call with a body, which must be JSON. */
    static UUID tenantOfJsonCall(RoutingContext context) {
        UUID tenantId = tenantOf(context);
        if (!isJson(context.request().getHeader("Content-Type"))) {
            throw OpenAiErrors.unsupportedMediaType();
        }
        return tenantId;
    }

    /** A JSON body, or one whose type the client did not say (scripts often do not); a form or text is refused. */
    private static boolean isJson(String contentType) {
        return contentType == null
                || contentType.isBlank()
                || contentType.toLowerCase(Locale.ROOT).contains("json");
    }

    /** The tenant and policy when both are in memory; empty when they must be loaded. */
    Optional<Known> remembered(UUID tenantId) {
        Optional<TenantSettings> tenant = tenants.findRemembered(tenantId);
        Optional<ModelPolicies.Current> policy = policies.remembered(tenantId);
        return tenant.isPresent() && policy.isPresent()
                ? Optional.of(new Known(tenant.get(), policy.get()))
                : Optional.empty();
    }

    /** The tenant and policy, read from the database if need be: on a worker thread. */
    Known load(UUID tenantId) {
        TenantSettings tenant = tenants.findById(tenantId)
                .orElseThrow(() -> new Refusal(401, "Unknown API key", "invalid_request_error", "invalid_api_key"));
        return new Known(tenant, policies.current(tenantId));
    }
}
