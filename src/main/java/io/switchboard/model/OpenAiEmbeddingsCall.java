package io.switchboard.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One call to an {@link OpenAiCompatibleProvider}'s {@code /embeddings}, run on the event loop that
 * started it like a chat call: the body goes as the gateway prepared it, the answer is read whole
 * under the endpoint's total timeout (nothing of it is worth having before the last vector), and
 * its usage is read for metering without building a tree of the vectors.
 */
final class OpenAiEmbeddingsCall {

    private static final JsonFactory JSON = new JsonFactory();
    /**
     * An answer larger than this is refused rather than held in memory: 2,048 vectors of 2,048
     * dimensions written as JSON floats fit, or of 4,096 in base64.
     */
    static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

    private final OpenAiCompatibleProvider provider;
    private final Vertx vertx;
    private final ModelEndpoint endpoint;
    private final byte[] body;
    private final CompletableFuture<ModelProvider.Embeddings> done = new CompletableFuture<>();
    private HttpClientRequest http;
    /** Set once the server finished the response: its connection is back in the pool and must not be reset. */
    private boolean responseEnded;

    private long deadline;

    OpenAiEmbeddingsCall(OpenAiCompatibleProvider provider, Vertx vertx, ModelEndpoint endpoint, byte[] body) {
        this.provider = provider;
        this.vertx = vertx;
        this.endpoint = endpoint;
        this.body = body;
    }

    CompletableFuture<ModelProvider.Embeddings> start() {
        deadline = vertx.setTimer(
                endpoint.totalTimeout().toMillis(),
                ignored -> fail(new ModelFailure(
                        ModelFailure.Reason.TOTAL_TIMEOUT,
                        "Embeddings not complete within "
                                + endpoint.totalTimeout().toMillis() + " ms")));
        send(true);
        return done;
    }

    /** As a chat call: a pooled connection the server closed just as it was reused is retried once. */
    private void send(boolean mayRetry) {
        provider.openEmbeddings().onComplete(opened -> {
            if (opened.failed()) {
                fail(HttpModelFailures.classify(opened.cause()));
                return;
            }
            http = opened.result();
            if (done.isDone()) {
                http.reset();
                return;
            }
            http.send(Buffer.buffer(body)).onComplete(answered -> {
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
        boolean ok = response.statusCode() == 200;
        Buffer whole = Buffer.buffer(ok ? 4096 : 256);
        response.handler(chunk -> {
            if (!ok) {
                if (whole.length() < HttpModelFailures.ERROR_BODY_CHARS) {
                    whole.appendBuffer(chunk);
                }
            } else if (whole.length() + chunk.length() > MAX_ANSWER_BYTES) {
                fail(new ModelFailure(
                        ModelFailure.Reason.STREAM_CUT, "The answer is larger than " + MAX_ANSWER_BYTES + " bytes"));
            } else if (!done.isDone()) {
                whole.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(error -> fail(HttpModelFailures.classify(error)));
        response.endHandler(ignored -> {
            responseEnded = true;
            if (!ok) {
                fail(HttpModelFailures.httpError(response.statusCode(), whole.toString(StandardCharsets.UTF_8)));
                return;
            }
            byte[] answer = whole.getBytes();
            try {
                Integer promptTokens = promptTokens(answer);
                vertx.cancelTimer(deadline);
                done.complete(new ModelProvider.Embeddings(answer, promptTokens));
            } catch (IOException unreadable) {
                fail(new ModelFailure(ModelFailure.Reason.STREAM_CUT, "The answer is not JSON", unreadable));
            }
        });
    }

    /** {@code usage.prompt_tokens} of the answer, or null when it has none; the vectors are skipped, not read. */
    static Integer promptTokens(byte[] answer) throws IOException {
        try (JsonParser parser = JSON.createParser(answer)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            Integer tokens = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        if (parser.nextToken() == JsonToken.VALUE_NUMBER_INT && "prompt_tokens".equals(name)) {
                            tokens = parser.getIntValue();
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
            return tokens;
        }
    }

    /** Ends the call once; an abandoned request is reset so its connection is not reused. */
    private void fail(ModelFailure failure) {
        if (done.completeExceptionally(failure)) {
            vertx.cancelTimer(deadline);
            if (http != null && !responseEnded) {
                http.reset();
            }
        }
    }
}
