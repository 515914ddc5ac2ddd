package io.switchboard.model;

import io.vertx.core.VertxException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;

/**
 * What a refused request or a broken connection to an HTTP model endpoint counts as: the
 * {@link ModelFailure.Reason} that decides fallbacks and circuit breaking, and a message for the log.
 */
final class HttpModelFailures {

    /** How much of a refusal's body the log line keeps. */
    static final int ERROR_BODY_CHARS = 300;

    private HttpModelFailures() {}

    /** A refusal with its status; the server's words go to the log line only, never to a customer. */
    static ModelFailure httpError(int status, String detail) {
        String said = detail.strip().replaceAll("\\s+", " ");
        return new ModelFailure(
                ModelFailure.Reason.HTTP_ERROR,
                "HTTP " + status + " from the model endpoint"
                        + (said.isEmpty()
                                ? ""
                                : ": "
                                        + (said.length() > ERROR_BODY_CHARS
                                                ? said.substring(0, ERROR_BODY_CHARS)
                                                : said)),
                null,
                status);
    }

    /** What an error from the HTTP client amounts to: an unreachable endpoint, an answer cut short, or a failed call. */
    static ModelFailure classify(Throwable error) {
        Throwable cause = error;
        while (cause != null) {
            // Netty's connect timeout is a ConnectException too.
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return new ModelFailure(
                        ModelFailure.Reason.UNREACHABLE,
                        "Model endpoint unreachable: " + cause.getClass().getSimpleName(),
                        error);
            }
            if (cause instanceof IOException || cause instanceof VertxException) {
                return new ModelFailure(
                        ModelFailure.Reason.STREAM_CUT,
                        "Connection failed mid-answer: " + cause.getClass().getSimpleName(),
                        error);
            }
            cause = cause.getCause();
        }
        return new ModelFailure(
                ModelFailure.Reason.HTTP_ERROR,
                "Model call failed: " + error.getClass().getSimpleName(),
                error);
    }
}
