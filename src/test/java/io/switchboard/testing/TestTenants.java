package io.switchboard.testing;

import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.tenant.TenantDefinition;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Creates a fresh tenant per test through the same service tenants-config uses. */
@ApplicationScoped
public class TestTenants {

    public static final String PERSONA = "You are Pip, the helpful assistant of a test shop.";

    private final TenantService tenants;

    public TestTenants(TenantService tenants) {
        this.tenants = tenants;
    }

    /** A tenant whose primary model is the stub model of that name. */
    public TenantSettings withStubModel(String model, ModelRef... fallbacks) {
        return create(new ModelPolicy(new ModelRef("stub", model), List.of(fallbacks)));
    }

    public TenantSettings create(ModelPolicy policy) {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
        return tenants.apply(new TenantDefinition(slug, "Test shop " + slug, List.of("https://shop.example"),
                new TenantDefinition.Assistant(PERSONA, "Answer briefly.", "Hello from " + slug), policy, null));
    }
}
