package io.switchboard.console;

import io.switchboard.tenant.SessionBinding;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * CSRF protection for the console's forms: in a logged-in session the token is derived from the
 * session's binding ({@link SessionBinding}), so it is good for that session only; before login
 * (the login page) it is a random double-submit token in an HttpOnly, SameSite=Strict cookie
 * scoped to {@code /console}. Forms carry it in a hidden field ({@link CsrfToken}), and a console
 * POST whose field does not match is refused. Only the console: the admin API authenticates with
 * a header a foreign page cannot set, or is checked for its origin (CrossSiteRequests).
 */
public class ConsoleCsrf {

    private final SessionBinding sessions;

    public ConsoleCsrf(SessionBinding sessions) {
        this.sessions = sessions;
    }

    static final String COOKIE = "switchboard-csrf";
    static final String FIELD = "csrf-token";
    static final String TOKEN_KEY = "switchboard.csrf.token";
    private static final String NEW_COOKIE_KEY = "switchboard.csrf.new";
    private static final int TOKEN_BYTES = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    @ServerRequestFilter
    @WithFormRead
    public Optional<Response> verify(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        if (!routing.normalizedPath().startsWith("/console/")
                && !routing.normalizedPath().equals("/console")) {
            return Optional.empty();
        }
        Optional<String> sessionToken = sessions.csrfToken(routing);
        Cookie cookie = routing.request().getCookie(COOKIE);
        String token = sessionToken.orElse(cookie == null ? null : cookie.getValue());
        if (isSafe(request.getMethod())) {
            if (sessionToken.isPresent()) {
                routing.put(TOKEN_KEY, token);
                return Optional.empty();
            }
            if (!wellFormed(token)) {
                byte[] bytes = new byte[TOKEN_BYTES];
                RANDOM.nextBytes(bytes);
                token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                routing.put(NEW_COOKIE_KEY, true);
            }
            routing.put(TOKEN_KEY, token);
            return Optional.empty();
        }
        Object field = ((ResteasyReactiveRequestContext) request.getServerRequestContext())
                .getFormParameter(FIELD, true, false);
        if (token == null
                || !(field instanceof String submitted)
                || !MessageDigest.isEqual(
                        submitted.getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(Response.status(Response.Status.BAD_REQUEST)
                    .type(MediaType.TEXT_PLAIN_TYPE)
                    .entity(
                            "This form is out of date or did not come from the console. Go back, reload the page and send it again.")
                    .build());
        }
        routing.put(TOKEN_KEY, token);
        return Optional.empty();
    }

    @ServerResponseFilter
    public void issue(ContainerResponseContext response, RoutingContext routing) {
        String token = routing.get(TOKEN_KEY);
        if (token != null && routing.get(NEW_COOKIE_KEY) != null) {
            routing.response()
                    .addCookie(Cookie.cookie(COOKIE, token)
                            .setPath("/console")
                            .setHttpOnly(true)
                            .setSameSite(CookieSameSite.STRICT)
                            .setSecure(routing.request().isSSL()));
        }
    }

    private static boolean wellFormed(String token) {
        try {
            return token != null && Base64.getUrlDecoder().decode(token).length == TOKEN_BYTES;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    private static boolean isSafe(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }
}
