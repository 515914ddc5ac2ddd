package io.switchboard.action;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What an admin's test of an action did: the request exactly as made (every header, the signature
 * included; secret-looking argument values masked in the URL and body) and the answer as received.
 *
 * @param request null when nothing was sent (the URL's address is refused)
 * @param response null when nothing came back (no answer in time, unreachable, too large)
 * @param status the HTTP status, when the API answered
 * @param reason for anything but {@code ok}: what went wrong
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ActionTestResult(
        Request request,
        Response response,
        ActionOutcome.Kind outcome,
        Integer status,
        String reason,
        long durationMs) {

    /** The request as sent; {@code body} null when it had none. */
    public record Request(String method, String url, Map<String, String> headers, String body) {}

    /** The answer as received, its body as text (at most {@value ActionClient#MAX_RESPONSE_BYTES} bytes). */
    public record Response(int status, Map<String, String> headers, String body) {}

    static ActionTestResult of(ActionClient.Exchange exchange) {
        ActionOutcome outcome = exchange.outcome();
        return new ActionTestResult(
                exchange.request(),
                exchange.response(),
                outcome.kind(),
                outcome.status(),
                outcome.reason(),
                outcome.durationMs());
    }
}
