package io.switchboard.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Tenants as code: the directory of tenant files applied at startup. */
@ConfigMapping(prefix = "switchboard.tenants")
public interface TenantFilesConfig {

    /** Directory of tenant files ({@code <slug>.yaml}), applied at every startup. */
    @WithDefault("tenants-config")
    String directory();

    /** Whether to load the directory at startup at all. */
    @WithDefault("true")
    boolean load();
}
