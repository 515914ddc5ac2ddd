package io.switchboard.gateway;

import io.switchboard.model.ChatCompletions;
import io.switchboard.model.ModelFailure;
import java.util.Map;

/**
 * An OpenAI-shaped refusal: status, message, type, param and code as OpenAI's own API reports
 * them, and the headers its clients read (retry-after, x-ratelimit-*, x-should-retry), so clients
 * handle it unchanged.
 */
final class Refusal extends RuntimeException {

    /** Seconds a client waits before trying a call the tenant's concurrency share refused: a model call is short. */
    static final int BUSY_RETRY_SECONDS = 1;

    final int status;
    final String type;
    final String param;
    final String code;
    final Map<String, String> headers;

    Refusal(int status, String message, String type, String param, String code, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    Refusal(int status, String message, String type, String code) {
        this(status, message, type, null, code, Map.of());
    }

    static Refusal invalid(String message, String code) {
        return new Refusal(400, message, "invalid_request_error", code);
    }

    static Refusal invalid(String message, String param, String code) {
        return new Refusal(400, message, "invalid_request_error", param, code, Map.of());
    }

    /** A request the chosen model cannot serve (tools to a model that does not call them, images to one that does not see). */
    static Refusal notSupported(String message, String param) {
        return invalid(message, param, "model_not_supported");
    }

    /**
     * How OpenAI itself reports each model failure, so clients' retry and quota handling works
     * unchanged: a spent budget is not worth retrying; a busy tenant or a rate-limited model is,
     * after the time {@code retry-after} says.
     */
    static Refusal of(ModelFailure failure, int tenantConcurrency) {
        Integer upstream = failure.httpStatus();
        if (failure.reason() == ModelFailure.Reason.HTTP_ERROR && upstream != null && upstream == 429) {
            return new Refusal(
                    429,
                    "The model is rate limited; retry shortly",
                    "rate_limit_error",
                    null,
                    "rate_limit_exceeded",
                    Map.of("retry-after", Integer.toString(BUSY_RETRY_SECONDS)));
        }
        if (failure.reason() == ModelFailure.Reason.HTTP_ERROR
                && upstream != null
                && upstream >= 400
                && upstream < 500) {
            return new Refusal(
                    400,
                    "The model refused the request (HTTP " + upstream + ")",
                    "invalid_request_error",
                    null,
                    "model_refused",
                    Map.of());
        }
        return switch (failure.reason()) {
            case BUDGET_EXCEEDED ->
                new Refusal(
                        429,
                        "The tenant's monthly model budget is spent",
                        "insufficient_quota",
                        null,
                        "insufficient_quota",
                        Map.of("x-should-retry", "false"));
            case TENANT_BUSY ->
                new Refusal(
                        429,
                        "Too many requests in flight for this tenant; retry shortly",
                        "rate_limit_error",
                        null,
                        "rate_limit_exceeded",
                        Map.of(
                                "retry-after",
                                Integer.toString(BUSY_RETRY_SECONDS),
                                "x-ratelimit-limit-requests",
                                Integer.toString(tenantConcurrency),
                                "x-ratelimit-remaining-requests",
                                "0",
                                "x-ratelimit-reset-requests",
                                BUSY_RETRY_SECONDS + "s"));
            default ->
                new Refusal(
                        502, "The model could not answer: " + failure.reason().tag(), "api_error", "upstream_error");
        };
    }

    ChatCompletions.Error body() {
        return ChatCompletions.Error.of(getMessage(), type, param, code);
    }
}
