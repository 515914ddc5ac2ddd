package io.switchboard.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * One call to an {@link OpenAiCompatibleProvider}'s {@code /embeddings}, run on the event loop that
 * started it like a chat call ({@link OpenAiHttpCall}): the body goes as the gateway prepared it,
 * the answer is read whole under the endpoint's total timeout (nothing of it is worth having
 * before the last vector), and its usage is read for metering without building a tree of the vectors.
 */
final class OpenAiEmbeddingsCall extends OpenAiHttpCall<ModelProvider.Embeddings> {

    private static final JsonFactory JSON = new JsonFactory();
    /**
     * An answer larger than this is refused rather than held in memory: 2,048 vectors of 2,048
     * dimensions written as JSON floats fit, or of 4,096 in base64.
     */
    static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

    private final OpenAiCompatibleProvider provider;
    private final byte[] request;

    OpenAiEmbeddingsCall(OpenAiCompatibleProvider provider, Vertx vertx, ModelEndpoint endpoint, byte[] request) {
        super(vertx, endpoint);
        this.provider = provider;
        this.request = request;
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

    @Override
    Future<HttpClientRequest> open() {
        return provider.openEmbeddings();
    }

    @Override
    Buffer body() {
        return Buffer.buffer(request);
    }

    @Override
    void answered(HttpClientResponse response) {
        readWhole(response, MAX_ANSWER_BYTES, whole -> {
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
}
