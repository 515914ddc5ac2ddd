package io.switchboard.tenant;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource (or resource method) that acts on the tenant named by its {@code {tenant}} path
 * segment. Before the method runs, the caller must belong to that tenant in one of these roles
 * (platform admins may act on any tenant); the method then reads the tenant from
 * {@link CurrentTenant} and runs in its {@link io.switchboard.platform.TenantScope}. A caller of
 * another tenant gets "not found", exactly as for a tenant that does not exist. A method's own
 * annotation takes precedence over its class's.
 */
@InterceptorBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface ForTenant {

    @Nonbinding
    Role[] value();
}
