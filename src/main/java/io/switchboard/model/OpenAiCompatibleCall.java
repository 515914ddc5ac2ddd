package io.switchboard.model;

import io.switchboard.model.ModelProvider.TokenSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One chat call to an {@link OpenAiCompatibleProvider}'s server, run start to finish on the event
 * loop that started it ({@link OpenAiHttpCall}): it keeps the first-token and total deadlines with
 * event-loop timers, reads the answer as a server-sent-event stream or as one JSON completion, and
 * completes with the reply or a {@link ModelFailure}.
 */
final class OpenAiCompatibleCall extends OpenAiHttpCall<ModelReply> {

    private static final byte[] DONE_DATA = "[DONE]".getBytes(StandardCharsets.US_ASCII);
    /** A whole answer larger than this is refused rather than held in memory: far above any model's output limit. */
    private static final int MAX_WHOLE_ANSWER_BYTES = 4 * 1024 * 1024;

    private final OpenAiCompatibleProvider provider;
    private final ModelRequest request;
    private final TokenSink sink;
    private final long started = System.nanoTime();
    private final StringBuilder text = new StringBuilder();
    /** Whether the answer holds tool calls: an answer of tool calls alone has no text and is complete. */
    private boolean toolCalls;
    /** The tool calls, put together from their fragments; made at the first fragment, as most answers have none. */
    private ToolCallAssembly calls;
    /** A whole completion for the caller's chunk listener, handed over once the call succeeded. */
    private byte[] wholeAnswer;

    private long firstTokenAt;
    private int fragments;
    private Integer inputTokens;
    private Integer outputTokens;
    private String finishReason;
    private boolean cutShort;

    OpenAiCompatibleCall(
            OpenAiCompatibleProvider provider,
            Vertx vertx,
            ModelEndpoint endpoint,
            ModelRequest request,
            TokenSink sink) {
        super(vertx, endpoint);
        this.provider = provider;
        this.request = request;
        this.sink = sink;
    }

    /** Arms the first deadline and sends the request; the result completes with the reply or a {@link ModelFailure}. */
    CompletableFuture<ModelReply> start() {
        if (request.streamed()) {
            deadline = vertx.setTimer(
                    endpoint.firstTokenTimeout().toMillis(),
                    ignored -> fail(new ModelFailure(
                            ModelFailure.Reason.FIRST_TOKEN_TIMEOUT,
                            "No token within " + endpoint.firstTokenTimeout().toMillis() + " ms")));
        } else {
            deadline = vertx.setTimer(endpoint.totalTimeout().toMillis(), ignored -> totalTimeout());
        }
        send(true);
        return done;
    }

    private void totalTimeout() {
        fail(new ModelFailure(
                ModelFailure.Reason.TOTAL_TIMEOUT,
                "Answer not complete within " + endpoint.totalTimeout().toMillis() + " ms"));
    }

    @Override
    Future<HttpClientRequest> open() {
        return provider.open(request.streamed());
    }

    @Override
    Buffer body() {
        return OpenAiCompatibleProvider.body(request);
    }

    @Override
    void answered(HttpClientResponse response) {
        if (request.streamed()) {
            response.handler(RecordParser.newDelimited("\n", this::line));
            response.endHandler(ignored -> {
                responseEnded = true;
                finish();
            });
            return;
        }
        readWhole(response, MAX_WHOLE_ANSWER_BYTES, this::whole);
    }

    /** A whole completion: its message is the answer, given to the sink at once. */
    private void whole(Buffer body) {
        StreamChunk completion;
        try {
            completion = StreamChunk.read(body.getBytes(), 0, body.length());
        } catch (IOException unreadable) {
            fail(new ModelFailure(ModelFailure.Reason.STREAM_CUT, "The answer is not one JSON completion", unreadable));
            return;
        }
        firstTokenAt = System.nanoTime();
        keepUsageAndFinish(completion);
        toolCalls = completion.toolCalls();
        assemble(completion);
        if (listener() != null) {
            wholeAnswer = body.getBytes();
        }
        if (completion.content() != null) {
            text.append(completion.content());
            if (!completion.content().isBlank()) {
                sink.accept(completion.content());
            }
        }
        finish();
    }

    /** The token usage and the finish reason, from whichever chunk (or whole completion) carries them. */
    private void keepUsageAndFinish(StreamChunk chunk) {
        if (chunk.hasUsage()) {
            inputTokens = chunk.promptTokens();
            outputTokens = chunk.completionTokens();
        }
        if (chunk.finishReason() != null) {
            finishReason = chunk.finishReason();
        }
    }

    /**
     * One line of the event stream: text deltas go to the sink as they come; the finish reason and
     * the usage (sent in a last chunk when asked for) are kept. A model that ignores
     * {@code max_tokens} is stopped at the limit (servers stream about one token per chunk).
     */
    private void line(Buffer line) {
        if (done.isDone() || line.length() < 5 || !isData(line)) {
            return;
        }
        byte[] bytes = line.getBytes();
        int start = 5;
        int end = bytes.length;
        while (start < end && isSpace(bytes[start])) {
            start++;
        }
        while (end > start && isSpace(bytes[end - 1])) {
            end--;
        }
        if (Arrays.equals(bytes, start, end, DONE_DATA, 0, DONE_DATA.length)) {
            finish();
            return;
        }
        StreamChunk chunk;
        try {
            chunk = StreamChunk.read(bytes, start, end - start);
        } catch (IOException unreadable) {
            fail(new ModelFailure(
                    ModelFailure.Reason.STREAM_CUT, "The stream held a chunk that is not JSON", unreadable));
            return;
        }
        keepUsageAndFinish(chunk);
        String fragment = chunk.content();
        boolean hasText = fragment != null && !fragment.isEmpty();
        if (hasText || chunk.toolCalls()) {
            firstToken();
        }
        if (hasText && request.maxOutputTokens() != null && ++fragments > request.maxOutputTokens()) {
            cutShort = true;
            finish();
            http.reset();
            return;
        }
        ModelRequest.ChunkListener listener = listener();
        if (listener != null) {
            listener.accept(Arrays.copyOfRange(bytes, start, end), kind(chunk, hasText));
        }
        toolCalls |= chunk.toolCalls();
        assemble(chunk);
        if (hasText) {
            text.append(fragment);
            sink.accept(fragment);
        }
    }

    private void assemble(StreamChunk chunk) {
        if (!chunk.toolCallFragments().isEmpty()) {
            if (calls == null) {
                calls = new ToolCallAssembly();
            }
            calls.add(chunk.toolCallFragments());
        }
    }

    private void firstToken() {
        if (firstTokenAt == 0) {
            firstTokenAt = System.nanoTime();
            // The first token arrived in time: from now on only the whole answer's limit applies.
            vertx.cancelTimer(deadline);
            long remaining = endpoint.totalTimeout().toNanos() - (firstTokenAt - started);
            deadline = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)), ignored -> totalTimeout());
        }
    }

    private ModelRequest.ChunkListener listener() {
        return request.openAi() == null ? null : request.openAi().chunks();
    }

    private static ModelRequest.ChunkKind kind(StreamChunk chunk, boolean hasText) {
        if (hasText || chunk.toolCalls() || chunk.finishReason() != null) {
            return ModelRequest.ChunkKind.ANSWER;
        }
        return chunk.hasUsage() ? ModelRequest.ChunkKind.USAGE : ModelRequest.ChunkKind.PREAMBLE;
    }

    private void finish() {
        if (done.isDone()) {
            return;
        }
        vertx.cancelTimer(deadline);
        long now = System.nanoTime();
        if (!cutShort && finishReason == null) {
            // vLLM and peers always end a complete stream with a finish reason: without it the stream was cut.
            fail(new ModelFailure(ModelFailure.Reason.STREAM_CUT, "The stream ended without a finish reason"));
        } else if (!toolCalls && (text.isEmpty() || text.toString().isBlank())) {
            fail(new ModelFailure(ModelFailure.Reason.EMPTY_ANSWER, "The model returned no text"));
        } else {
            if (wholeAnswer != null) {
                listener().accept(wholeAnswer, ModelRequest.ChunkKind.ANSWER);
            }
            done.complete(new ModelReply(
                    text.toString(),
                    cutShort ? null : inputTokens,
                    cutShort ? null : outputTokens,
                    TimeUnit.NANOSECONDS.toMillis((firstTokenAt == 0 ? now : firstTokenAt) - started),
                    TimeUnit.NANOSECONDS.toMillis(now - started),
                    List.of(),
                    true,
                    cutShort || "length".equals(finishReason),
                    calls == null ? List.of() : calls.calls(),
                    cutShort ? "length" : finishReason));
        }
    }

    /** Blank around an event's data; a byte of a multi-byte UTF-8 character is negative, and is not. */
    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    private static boolean isData(Buffer line) {
        return line.getByte(0) == 'd'
                && line.getByte(1) == 'a'
                && line.getByte(2) == 't'
                && line.getByte(3) == 'a'
                && line.getByte(4) == ':';
    }
}
