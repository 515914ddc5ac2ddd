package io.switchboard.tenant;

import io.switchboard.platform.TenantScope;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Method;

/**
 * Resolves the tenant and the caller's role once per request, for every resource annotated
 * {@link ForTenant} or {@link ForPlatformAdmin}. It runs after Bean Validation of the request
 * (a later priority), as the checks it replaces ran inside the resource methods.
 */
public final class TenantRequests {

    private static final int AFTER_VALIDATION = Interceptor.Priority.PLATFORM_AFTER + 900;

    private TenantRequests() {}

    @ForTenant({})
    @Interceptor
    @Priority(AFTER_VALIDATION)
    static class TenantResolution {

        private final TenantAccess access;
        private final CurrentTenant current;
        private final UriInfo uri;

        TenantResolution(TenantAccess access, CurrentTenant current, UriInfo uri) {
            this.access = access;
            this.current = current;
            this.uri = uri;
        }

        @AroundInvoke
        Object resolve(InvocationContext invocation) throws Exception {
            TenantSettings tenant =
                    access.require(uri.getPathParameters().getFirst("tenant"), roles(invocation.getMethod()));
            current.set(tenant);
            return TenantScope.callChecked(tenant.id(), invocation::proceed);
        }

        private static Role[] roles(Method method) {
            ForTenant annotation = method.getAnnotation(ForTenant.class);
            return (annotation != null ? annotation : method.getDeclaringClass().getAnnotation(ForTenant.class))
                    .value();
        }
    }

    @ForPlatformAdmin
    @Interceptor
    @Priority(AFTER_VALIDATION)
    static class PlatformAdminCheck {

        private final TenantAccess access;

        PlatformAdminCheck(TenantAccess access) {
            this.access = access;
        }

        @AroundInvoke
        Object check(InvocationContext invocation) throws Exception {
            access.requirePlatformAdmin();
            return invocation.proceed();
        }
    }
}
