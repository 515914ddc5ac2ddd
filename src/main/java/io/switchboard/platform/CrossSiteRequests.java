package io.switchboard.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * A browser attaches credentials it holds for the platform (HTTP Basic it was given once, the
 * console's session cookie) to requests that any web page makes, and a page may post a form to
 * any address without asking first. So a request that changes state and carries such ambient
 * credentials must come from the platform's own pages: its {@code Sec-Fetch-Site} must say so and
 * its {@code Origin}, when present, must be the platform's. Requests authenticated with a header
 * a page cannot set (API keys, bearer tokens, the widget's conversation tokens) are not concerned,
 * nor are clients that are no browser (no Origin, no fetch metadata). The console's login form is
 * checked too, so no page can log a visitor in to an account of the attacker's.
 */
@ApplicationScoped
public class CrossSiteRequests {

    /** Quarkus' form-login session cookie ({@code quarkus.http.auth.form.cookie-name}). */
    static final String SESSION_COOKIE = "quarkus-credential";
    /** Where the console's login form posts (Quarkus' form login). */
    public static final String LOGIN_PATH = "/j_security_check";

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Set<String> OWN_PAGES = Set.of("same-origin", "none");

    private final ObjectMapper json;

    public CrossSiteRequests(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (SAFE.contains(request.method()) || !carriesAmbientCredentials(context) || fromOwnPage(request)) {
            context.next();
            return;
        }
        try {
            AuthenticationProblems.send(
                    context,
                    json,
                    Problem.of(
                            ProblemType.CROSS_SITE_REQUEST,
                            "A request that changes data and carries a password or session cookie must come from the platform's own pages. "
                                    + "Scripts should send an API key (Authorization: Bearer sbk_...) instead."));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }

    private static boolean carriesAmbientCredentials(RoutingContext context) {
        String path = context.normalizedPath();
        if (path.equals(LOGIN_PATH)) {
            return true;
        }
        boolean guarded = AuthenticationProblems.isApi(path) && !path.startsWith("/api/v1/widget/")
                || path.equals("/console")
                || path.startsWith("/console/");
        if (!guarded) {
            return false;
        }
        String authorization = context.request().getHeader("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
                || context.request().getCookie(SESSION_COOKIE) != null;
    }

    private static boolean fromOwnPage(HttpServerRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !OWN_PAGES.contains(site.toLowerCase(Locale.ROOT))) {
            return false;
        }
        String origin = request.getHeader("Origin");
        return origin == null
                || request.authority() != null
                        && sameAuthority(origin, request.authority().toString());
    }

    /**
     * Whether the origin names the host the request was sent to, and its port where both name
     * one. Schemes and default ports are not compared: behind a proxy that ends TLS, a page of
     * {@code https://host} sends its requests on to {@code http://host}.
     */
    static boolean sameAuthority(String origin, String authority) {
        try {
            URI page = new URI(origin);
            URI own = new URI("x://" + authority);
            if (page.getHost() == null
                    || own.getHost() == null
                    || !page.getHost().equalsIgnoreCase(own.getHost())) {
                return false;
            }
            return page.getPort() == -1 || own.getPort() == -1 || page.getPort() == own.getPort();
        } catch (java.net.URISyntaxException notAnOrigin) {
            return false;
        }
    }
}
