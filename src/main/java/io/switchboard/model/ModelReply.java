package io.switchboard.model;

import java.util.List;

/**
 * A complete answer with its provenance. Token counts are null when the endpoint did not report
 * usage; {@code confident} is false when the provider itself judges it should not answer;
 * {@code cutShort} is true when the answer reached the request's output token limit and stops there.
 */
public record ModelReply(
        String text,
        Integer inputTokens,
        Integer outputTokens,
        long timeToFirstTokenMillis,
        long latencyMillis,
        List<Citation> citations,
        boolean confident,
        boolean cutShort) {

    public record Citation(String articleId, String title, String url) {}

    public ModelReply {
        citations = citations == null ? List.of() : List.copyOf(citations);
    }

    public ModelReply withText(String replaced) {
        return new ModelReply(
                replaced,
                inputTokens,
                outputTokens,
                timeToFirstTokenMillis,
                latencyMillis,
                citations,
                confident,
                cutShort);
    }

    public ModelReply withCitations(List<Citation> found) {
        return new ModelReply(
                text, inputTokens, outputTokens, timeToFirstTokenMillis, latencyMillis, found, confident, cutShort);
    }
}
