package io.switchboard.platform;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The embedded PostgreSQL as the running platform sees it (the launcher starts it before Quarkus, from system properties). */
@ConfigMapping(prefix = "switchboard.embedded")
public interface EmbeddedConfig {

    /** Where the embedded PostgreSQL keeps its files; absent when the platform runs on an external database. */
    Optional<String> dataDirectory();

    /**
     * Free space the embedded PostgreSQL's volume must keep: below it, new customer messages get
     * {@code 503 service-unavailable} with {@code Retry-After} (the widget says it cannot take messages
     * right now) until space returns; nothing stored is touched.
     */
    MemorySize minFreeDisk();
}
