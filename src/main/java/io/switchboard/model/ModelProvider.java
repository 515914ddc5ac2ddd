package io.switchboard.model;

import java.util.concurrent.CompletableFuture;

/**
 * Answers one chat request for one catalogue endpoint and enforces the endpoint's timeouts.
 * {@link #stream} is the provider's own form: it never blocks the caller, so the OpenAI-compatible
 * endpoint can run a whole call on the event loop that received it; {@link #chat} is the form for
 * worker threads whose sink blocks (a WebSocket send).
 */
public interface ModelProvider {

    /**
     * Starts answering. The result completes with the reply, or exceptionally with a
     * {@link ModelFailure}. Fragments reach the sink on the provider's threads (an event loop for
     * HTTP endpoints), so the sink must not block.
     */
    CompletableFuture<ModelReply> stream(ModelRequest request, TokenSink sink);

    /** Waits for the answer; fragments reach the sink on the calling thread, so it may block. */
    default ModelReply chat(ModelRequest request, TokenSink sink) throws ModelFailure {
        return BlockingStream.await(sink, relay -> stream(request, relay));
    }

    /**
     * Sends an OpenAI embeddings request body ({@code model} already the endpoint's own name) and
     * completes with the server's answer as it came, or a {@link ModelFailure}. A provider whose
     * models do not embed refuses with {@link ModelFailure.Reason#NOT_CONFIGURED}.
     */
    default CompletableFuture<Embeddings> embeddings(byte[] body) {
        return CompletableFuture.failedFuture(
                new ModelFailure(ModelFailure.Reason.NOT_CONFIGURED, "This endpoint's models do not embed"));
    }

    /** An embeddings answer: the server's JSON body, and the input tokens its usage reports (null when none). */
    record Embeddings(byte[] body, Integer promptTokens) {}

    /** Receives streamed text fragments. */
    @FunctionalInterface
    interface TokenSink {
        void accept(String fragment);
    }

    /** An answer computed on the calling thread in moments, without I/O (the retrieval answerer). */
    @FunctionalInterface
    interface Immediate extends ModelProvider {

        ModelReply answer(ModelRequest request, TokenSink sink) throws ModelFailure;

        @Override
        default CompletableFuture<ModelReply> stream(ModelRequest request, TokenSink sink) {
            try {
                return CompletableFuture.completedFuture(answer(request, sink));
            } catch (ModelFailure failure) {
                return CompletableFuture.failedFuture(failure);
            }
        }

        @Override
        default ModelReply chat(ModelRequest request, TokenSink sink) throws ModelFailure {
            return answer(request, sink);
        }
    }
}
