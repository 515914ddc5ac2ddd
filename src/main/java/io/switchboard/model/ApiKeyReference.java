package io.switchboard.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where an endpoint's API key lives, never the key itself: {@code env:NAME} (an environment
 * variable) or {@code secret:NAME} (a file of that name in {@code switchboard.secrets.dir},
 * where Kubernetes mounts a Secret). The key is read only to call the endpoint.
 */
public final class ApiKeyReference {

    public static final Pattern FORMAT = Pattern.compile("^(env|secret):[A-Za-z0-9_.-]{1,128}$");
    public static final String FORMAT_DESCRIPTION = "must be env:NAME or secret:NAME (letters, digits, '_', '.', '-')";
    /**
     * Endpoints registered through the API may read only variables named for the purpose: a
     * platform key must not be able to send, say, the database password to a URL of its choice.
     */
    public static final String REGISTERED_FORMAT =
            "^(env:SWITCHBOARD_MODEL_KEY_[A-Za-z0-9_]{1,100}|secret:[A-Za-z0-9_.-]{1,128})$";

    public static final String REGISTERED_FORMAT_DESCRIPTION =
            "must be env:SWITCHBOARD_MODEL_KEY_<NAME> or secret:<file name> (letters, digits, '_', '.', '-')";

    private ApiKeyReference() {}

    public static String ofEnvironmentVariable(String name) {
        return "env:" + name;
    }

    /** The key the reference points at, when it is there and not blank. */
    public static Optional<String> resolve(String reference) {
        if (reference == null || !FORMAT.matcher(reference).matches()) {
            return Optional.empty();
        }
        String name = reference.substring(reference.indexOf(':') + 1);
        if (reference.startsWith("env:")) {
            return Optional.ofNullable(System.getenv(name)).map(String::strip).filter(key -> !key.isEmpty());
        }
        Path directory = Path.of(ConfigProvider.getConfig()
                .getOptionalValue("switchboard.secrets.dir", String.class)
                .orElse("/var/run/secrets/switchboard"));
        try {
            return Optional.of(Files.readString(directory.resolve(name)).strip())
                    .filter(key -> !key.isEmpty());
        } catch (IOException missing) {
            return Optional.empty();
        }
    }
}
