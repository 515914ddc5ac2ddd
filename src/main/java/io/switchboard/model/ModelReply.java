package io.switchboard.model;

import java.util.List;

/**
 * A complete answer with its provenance. Token counts are null when the endpoint did not report
 * usage; {@code confident} is false when the provider itself judges it should not answer.
 */
public record ModelReply(
        String text,
        Integer inputTokens,
        Integer outputTokens,
        long timeToFirstTokenMillis,
        long latencyMillis,
        List<Citation> citations,
        boolean confident) {

    public record Citation(String articleId, String title, String url) {
    }

    public ModelReply {
        citations = citations == null ? List.of() : List.copyOf(citations);
    }
}
