package io.switchboard.tenant;

import io.switchboard.platform.Secrets;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Binds a console session to the password it was opened with. Quarkus' session cookie names only
 * the user, so beside it a second cookie, signed with the session key, carries the account's
 * password-change count at login: once the password changes, the session no longer opens. The
 * console's CSRF token is derived from the same cookie, so a token is good for one session only.
 */
@ApplicationScoped
public class SessionBinding {

    public static final String COOKIE = "switchboard-session";

    /** The user and password-change count a session was opened with. */
    public record Binding(String username, int credentialsVersion) {}

    private final String key;

    public SessionBinding(
            @ConfigProperty(name = "quarkus.http.auth.session.encryption-key") Optional<String> sessionKey) {
        // Without a configured key, sessions last as long as this process (as Quarkus' own cookie does).
        this.key = sessionKey.filter(value -> !value.isBlank()).orElseGet(() -> Secrets.newSecret(""));
    }

    /** Adds the binding of a session just opened by {@code caller} to the login's response. */
    void bind(RoutingContext http, Caller caller) {
        String value = Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(caller.principal().getBytes(StandardCharsets.UTF_8))
                + "." + caller.credentialsVersion();
        http.response()
                .addCookie(Cookie.cookie(COOKIE, value + "." + signature(value))
                        .setPath("/")
                        .setHttpOnly(true)
                        .setSameSite(CookieSameSite.STRICT)
                        .setSecure("https".equals(http.request().scheme())));
    }

    /** The binding the request carries, if it carries a genuine one. */
    public Optional<Binding> of(RoutingContext http) {
        Cookie cookie = http == null ? null : http.request().getCookie(COOKIE);
        if (cookie == null) {
            return Optional.empty();
        }
        String[] parts = cookie.getValue().split("\\.");
        if (parts.length != 3
                || !MessageDigest.isEqual(
                        signature(parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                        parts[2].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Binding(
                    new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8),
                    Integer.parseInt(parts[1])));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /** A CSRF token for the session the request carries, if it carries one: the same for every form of that session only. */
    public Optional<String> csrfToken(RoutingContext http) {
        Cookie cookie = http.request().getCookie(COOKIE);
        return cookie == null ? Optional.empty() : Optional.of(signature("csrf\n" + cookie.getValue()));
    }

    private String signature(String value) {
        return Secrets.hmacSha256(key, value);
    }
}
