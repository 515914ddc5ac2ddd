package io.switchboard.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Wrong credentials on the API (a bad password, an unknown or revoked key) are refused before any
 * resource runs. API clients get the same problem+json 401 as every other error, not the console's
 * redirect to its login page; the console and its login form keep Quarkus' own handling.
 */
@ApplicationScoped
public class AuthenticationProblems {

    static final String CHALLENGE = "Basic realm=\"switchboard\", Bearer";

    private final ObjectMapper json;

    public AuthenticationProblems(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            String path = context.normalizedPath();
            boolean api = path.startsWith("/api/") || path.startsWith("/v1/");
            if (!(context.failure() instanceof AuthenticationFailedException) || !api) {
                context.next();
                return;
            }
            try {
                context.response().setStatusCode(401)
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("WWW-Authenticate", CHALLENGE)
                        .end(json.writeValueAsString(Problem.of(ProblemType.UNAUTHORIZED, "These credentials are not valid")));
            } catch (JsonProcessingException e) {
                context.next();
            }
        });
    }
}
