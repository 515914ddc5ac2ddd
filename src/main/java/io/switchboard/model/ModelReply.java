package io.switchboard.model;

import java.util.List;

/**
 * A complete answer with its provenance. Token counts are null when the endpoint did not report
 * usage; {@code confident} is false when the provider itself judges it should not answer;
 * {@code cutShort} is true when the answer reached the request's output token limit and stops there.
 * {@code toolCalls} are the calls the model made to the request's tools, in the order it numbered
 * them (several when it called them in parallel), each assembled from its streamed fragments; the
 * text is then what it said besides, often nothing. {@code finishReason} is the model's own
 * ({@code stop}, {@code length}, {@code tool_calls}), null when the provider reports none.
 */
public record ModelReply(
        String text,
        Integer inputTokens,
        Integer outputTokens,
        long timeToFirstTokenMillis,
        long latencyMillis,
        List<Citation> citations,
        boolean confident,
        boolean cutShort,
        List<ToolCall> toolCalls,
        String finishReason) {

    public record Citation(String articleId, String title, String url) {}

    public ModelReply {
        citations = citations == null ? List.of() : List.copyOf(citations);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public ModelReply(
            String text,
            Integer inputTokens,
            Integer outputTokens,
            long timeToFirstTokenMillis,
            long latencyMillis,
            List<Citation> citations,
            boolean confident,
            boolean cutShort) {
        this(
                text,
                inputTokens,
                outputTokens,
                timeToFirstTokenMillis,
                latencyMillis,
                citations,
                confident,
                cutShort,
                List.of(),
                null);
    }

    /** Whether the model asks for tools to run: the caller runs them and asks again with their results. */
    public boolean callsTools() {
        return !toolCalls.isEmpty();
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
                cutShort,
                toolCalls,
                finishReason);
    }

    public ModelReply withCitations(List<Citation> found) {
        return new ModelReply(
                text,
                inputTokens,
                outputTokens,
                timeToFirstTokenMillis,
                latencyMillis,
                found,
                confident,
                cutShort,
                toolCalls,
                finishReason);
    }
}
