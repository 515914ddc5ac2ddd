package io.switchboard.model;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What every call to an {@link OpenAiCompatibleProvider}'s server does, whatever it asks (a chat
 * completion, embeddings): it is sent on the pool of the event loop that started it, a refusal's
 * body is read as the failure's detail, and it ends once, an abandoned request reset so the server
 * stops and its connection is not reused. Every method runs on that one loop, so the state needs
 * no locks; a subclass arms its deadlines and reads a 200 answer.
 */
abstract class OpenAiHttpCall<T> {

    final Vertx vertx;
    final ModelEndpoint endpoint;
    final CompletableFuture<T> done = new CompletableFuture<>();
    HttpClientRequest http;
    /** Set once the server finished the response: its connection is back in the pool and must not be reset. */
    boolean responseEnded;

    long deadline;

    OpenAiHttpCall(Vertx vertx, ModelEndpoint endpoint) {
        this.vertx = vertx;
        this.endpoint = endpoint;
    }

    /** Opens the call's request on the calling event loop's connection pool. */
    abstract Future<HttpClientRequest> open();

    /** The request body, made for each sending. */
    abstract Buffer body();

    /** Reads a 200 answer: its failures past this point are classified already. */
    abstract void answered(HttpClientResponse response);

    /**
     * Sends the request. A kept-alive connection the server closed just as it was reused fails
     * before any response: that one failure is retried once, as HTTP clients do for stale pooled
     * connections, rather than counted against the model.
     */
    final void send(boolean mayRetry) {
        open().onComplete(opened -> {
            if (opened.failed()) {
                fail(HttpModelFailures.classify(opened.cause()));
                return;
            }
            http = opened.result();
            if (done.isDone()) {
                http.reset();
                return;
            }
            http.send(body()).onComplete(answered -> {
                if (answered.succeeded()) {
                    read(answered.result());
                } else if (mayRetry && answered.cause() instanceof HttpClosedException && !done.isDone()) {
                    send(false);
                } else {
                    fail(HttpModelFailures.classify(answered.cause()));
                }
            });
        });
    }

    private void read(HttpClientResponse response) {
        if (response.statusCode() != 200) {
            StringBuilder detail = new StringBuilder();
            response.handler(chunk -> {
                if (detail.length() < HttpModelFailures.ERROR_BODY_CHARS) {
                    detail.append(chunk.toString(StandardCharsets.UTF_8));
                }
            });
            response.endHandler(ignored -> {
                responseEnded = true;
                fail(HttpModelFailures.httpError(response.statusCode(), detail.toString()));
            });
            response.exceptionHandler(
                    ignored -> fail(HttpModelFailures.httpError(response.statusCode(), detail.toString())));
            return;
        }
        response.exceptionHandler(error -> fail(HttpModelFailures.classify(error)));
        answered(response);
    }

    /**
     * Reads an answer whole and hands it on, unless the call ended meanwhile; an answer larger than
     * {@code maxBytes} is refused rather than held in memory.
     */
    final void readWhole(HttpClientResponse response, int maxBytes, Consumer<Buffer> then) {
        Buffer whole = Buffer.buffer(512);
        response.handler(chunk -> {
            if (whole.length() + chunk.length() > maxBytes) {
                fail(new ModelFailure(
                        ModelFailure.Reason.STREAM_CUT, "The answer is larger than " + maxBytes + " bytes"));
            } else if (!done.isDone()) {
                whole.appendBuffer(chunk);
            }
        });
        response.endHandler(ignored -> {
            responseEnded = true;
            if (!done.isDone()) {
                then.accept(whole);
            }
        });
    }

    /** Ends the call once; an abandoned request is reset so the server stops working on it and the connection is not reused. */
    final void fail(ModelFailure failure) {
        if (done.completeExceptionally(failure)) {
            vertx.cancelTimer(deadline);
            if (http != null && !responseEnded) {
                http.reset();
            }
        }
    }
}
