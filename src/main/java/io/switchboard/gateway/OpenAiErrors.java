package io.switchboard.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every error under {@code /v1} in OpenAI's shape ({@code {"error": {"message", "type", "param",
 * "code"}}}, {@code application/json}), whichever layer refuses: the security layer (a wrong or
 * revoked key), the body reader (too large), the router (no such route, wrong method) or an
 * unexpected failure. OpenAI's clients read only this shape: a problem+json 401 would reach an
 * agent as an unreadable error rather than its client's authentication error. {@code /api/v1}
 * keeps problem+json.
 */
@ApplicationScoped
class OpenAiErrors {

    private static final Logger LOG = Logger.getLogger(OpenAiErrors.class);

    /** The methods of each /v1 route, for a 405 that says which one to use. */
    private static final Map<String, String> ROUTES = Map.of(
            "/v1/chat/completions", "POST",
            "/v1/embeddings", "POST",
            "/v1/models", "GET");

    private final ObjectMapper json;
    private final long maxBodyBytes;

    OpenAiErrors(ObjectMapper json, @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.json = json;
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        // Quarkus refuses a declared length over the limit with an empty 413 before the gateway's body reader runs.
        router.route("/v1/*").order(Integer.MIN_VALUE).handler(this::declaredLength);
        router.route("/v1/*").order(Integer.MIN_VALUE).failureHandler(this::failed);
        // Reached only when no route answered: an unknown path, or a known one with another method.
        router.route("/v1/*").order(RouteConstants.ROUTE_ORDER_AFTER_DEFAULT).handler(this::unrouted);
    }

    private void failed(RoutingContext context) {
        Throwable failure = context.failure();
        if (context.response().headWritten()) {
            // Headers (a stream's) are out: the status can no longer change.
            context.response().reset();
            return;
        }
        write(
                context,
                json,
                refusalFor(
                        failure,
                        context.statusCode(),
                        context.request().method().name(),
                        context.normalizedPath()));
    }

    private static Refusal refusalFor(Throwable failure, int status, String method, String path) {
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            return new Refusal(401, "Incorrect API key provided", "invalid_request_error", "invalid_api_key");
        }
        if (failure instanceof ForbiddenException) {
            return new Refusal(403, "This API key may not do this", "invalid_request_error", "forbidden");
        }
        if (failure == null && status >= 400 && status < 500) {
            return switch (status) {
                case 404 -> notFound(method, path);
                case 405 -> notAllowed(method, path);
                case 413 -> tooLarge();
                case 415 -> unsupportedMediaType();
                default -> new Refusal(status, "The request was refused", "invalid_request_error", null);
            };
        }
        LOG.errorf(failure, "A /v1 request failed with status %d", status);
        return new Refusal(500, "The server had an error while processing your request", "server_error", null);
    }

    private void declaredLength(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        if (length != null
                && length.length() < 19
                && length.chars().allMatch(Character::isDigit)
                && Long.parseLong(length) > maxBodyBytes) {
            write(context, json, tooLarge());
        } else {
            context.next();
        }
    }

    private static Refusal tooLarge() {
        return new Refusal(413, "The request body is too large", "invalid_request_error", "request_too_large");
    }

    private void unrouted(RoutingContext context) {
        String path = context.normalizedPath();
        String method = context.request().method().name();
        write(context, json, ROUTES.containsKey(path) ? notAllowed(method, path) : notFound(method, path));
    }

    private static Refusal notFound(String method, String path) {
        return new Refusal(404, "Invalid URL (" + method + " " + path + ")", "invalid_request_error", "unknown_url");
    }

    private static Refusal notAllowed(String method, String path) {
        String allowed = ROUTES.get(path);
        return new Refusal(
                405,
                "Method " + method + " is not allowed on " + path + (allowed == null ? "" : "; use " + allowed),
                "invalid_request_error",
                null,
                "method_not_allowed",
                allowed == null ? Map.of() : Map.of("Allow", allowed));
    }

    static Refusal unsupportedMediaType() {
        return new Refusal(
                415,
                "Send the request as JSON: Content-Type: application/json",
                "invalid_request_error",
                "unsupported_media_type");
    }

    /** Writes the refusal with its headers, unless the response is already on its way. */
    static void write(RoutingContext context, ObjectMapper json, Refusal refusal) {
        HttpServerResponse response = context.response();
        if (response.closed() || response.ended()) {
            return;
        }
        refusal.headers.forEach(response::putHeader);
        CompletionResponses.sendJson(context, refusal.status, CompletionResponses.toJson(json, refusal.body()));
    }
}
