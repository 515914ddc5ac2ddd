package io.switchboard.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Wrong credentials on the API (a bad password, an unknown or revoked key) are refused before any
 * resource runs. API clients get the same problem+json 401 as every other error, not the console's
 * redirect to its login page; the console and its login form keep Quarkus' own handling.
 *
 * <p>No API 401 challenges for Basic: a browser answers that challenge with its password prompt
 * and then attaches the credentials to every request any web page makes to the platform. Scripts
 * send Basic credentials unasked, so they need no challenge.
 */
@ApplicationScoped
public class AuthenticationProblems {

    static final String CHALLENGE = "Bearer realm=\"switchboard\"";

    private final ObjectMapper json;

    public AuthenticationProblems(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            if (isApi(context.normalizedPath())) {
                context.addHeadersEndHandler(ignored -> {
                    if (context.response().getStatusCode() == 401) {
                        context.response().putHeader("WWW-Authenticate", CHALLENGE);
                    }
                });
            }
            context.next();
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> {
            // /v1 speaks OpenAI's error shape: the gateway answers its failures itself.
            if (!(context.failure() instanceof AuthenticationFailedException)
                    || !context.normalizedPath().startsWith("/api/")) {
                context.next();
                return;
            }
            try {
                send(context, json, Problem.of(ProblemType.UNAUTHORIZED, "These credentials are not valid"));
            } catch (JsonProcessingException e) {
                context.next();
            }
        });
    }

    /** Answers with the problem before any resource runs, as the REST layer's mappers would after. */
    static void send(RoutingContext context, ObjectMapper json, Problem problem) throws JsonProcessingException {
        context.response()
                .setStatusCode(problem.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(json.writeValueAsString(problem));
    }

    static boolean isApi(String path) {
        return path.startsWith("/api/") || path.startsWith("/v1/");
    }
}
