package io.switchboard.gateway;

import io.switchboard.model.ChatCompletions;
import io.switchboard.model.ModelFailure;

/** An OpenAI-shaped refusal: status, message, type and code as OpenAI's own API reports them, so clients handle it unchanged. */
final class Refusal extends RuntimeException {

    final int status;
    final String type;
    final String code;

    Refusal(int status, String message, String type, String code) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
    }

    static Refusal invalid(String message, String code) {
        return new Refusal(400, message, "invalid_request_error", code);
    }

    /** How OpenAI itself reports each model failure, so clients' retry and quota handling works unchanged. */
    static Refusal of(ModelFailure failure) {
        return switch (failure.reason()) {
            case BUDGET_EXCEEDED ->
                new Refusal(
                        429, "The tenant's monthly model budget is spent", "insufficient_quota", "insufficient_quota");
            case TENANT_BUSY ->
                new Refusal(
                        429,
                        "Too many requests in flight for this tenant; retry shortly",
                        "rate_limit_error",
                        "rate_limit_exceeded");
            default ->
                new Refusal(
                        502, "The model could not answer: " + failure.reason().tag(), "api_error", "upstream_error");
        };
    }

    ChatCompletions.Error body() {
        return ChatCompletions.Error.of(getMessage(), type, code);
    }
}
