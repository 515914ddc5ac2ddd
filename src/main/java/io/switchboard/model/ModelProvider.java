package io.switchboard.model;

/**
 * Answers one chat request for one catalogue endpoint. Implementations block the calling (worker)
 * thread until the answer is complete, pass each text fragment to the sink as it arrives, and
 * enforce the endpoint's timeouts.
 */
public interface ModelProvider {

    ModelReply chat(ModelRequest request, TokenSink sink) throws ModelFailure;

    /** Receives streamed text fragments; called from the provider's threads. */
    @FunctionalInterface
    interface TokenSink {
        void accept(String fragment);
    }
}
