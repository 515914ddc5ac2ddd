package io.switchboard.platform;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The embedded PostgreSQL as the running platform sees it (the launcher starts it before Quarkus, from system properties). */
@ConfigMapping(prefix = "switchboard.embedded")
public interface EmbeddedConfig {

    /** Where the embedded PostgreSQL keeps its files; absent when the platform runs on an external database. */
    Optional<String> dataDirectory();

    /** Free space its volume must keep: below it, new customer messages are refused with 503 until space returns. */
    MemorySize minFreeDisk();
}
