package io.switchboard.tenant;

import jakarta.enterprise.context.RequestScoped;

/** The tenant this request acts on, resolved once by {@link ForTenant} before the resource method runs. */
@RequestScoped
public class CurrentTenant {

    private TenantSettings tenant;

    public TenantSettings get() {
        if (tenant == null) {
            throw new IllegalStateException(
                    "No tenant resolved for this request: is the resource annotated with @ForTenant?");
        }
        return tenant;
    }

    void set(TenantSettings tenant) {
        this.tenant = tenant;
    }
}
