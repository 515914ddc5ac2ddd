package io.switchboard.model;

import io.switchboard.model.ModelProvider.TokenSink;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call to an {@link OpenAiCompatibleProvider}'s server, run start to finish on the event loop
 * that started it: it sends the request, keeps the first-token and total deadlines with event-loop
 * timers, reads the answer as a server-sent-event stream or as one JSON completion, and completes
 * with the reply or a {@link ModelFailure}. Every method runs on that one loop, so its state needs no locks.
 */
final class OpenAiCompatibleCall {

    private static final byte[] DONE_DATA = "[DONE]".getBytes(StandardCharsets.US_ASCII);
    /** A whole answer larger than this is refused rather than held in memory: far above any model's output limit. */
    private static final int MAX_WHOLE_ANSWER_BYTES = 4 * 1024 * 1024;

    private final OpenAiCompatibleProvider provider;
    private final Vertx vertx;
    private final ModelEndpoint endpoint;
    private final CompletableFuture<ModelReply> done = new CompletableFuture<>();
    private final ModelRequest request;
    private final TokenSink sink;
    private final long started = System.nanoTime();
    private final StringBuilder text = new StringBuilder();
    /** Whether the answer holds tool calls: an answer of tool calls alone has no text and is complete. */
    private boolean toolCalls;
    /** A whole completion for the caller's chunk listener, handed over once the call succeeded. */
    private byte[] wholeAnswer;

    private long firstTokenAt;
    private int fragments;
    private Integer inputTokens;
    private Integer outputTokens;
    private String finishReason;
    private boolean cutShort;
    private HttpClientRequest http;
    /** Set once the server finished the response: its connection is back in the pool and must not be reset. */
    private boolean responseEnded;

    private long deadline;

    OpenAiCompatibleCall(
            OpenAiCompatibleProvider provider,
            Vertx vertx,
            ModelEndpoint endpoint,
            ModelRequest request,
            TokenSink sink) {
        this.provider = provider;
        this.vertx = vertx;
        this.endpoint = endpoint;
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

    /**
     * Sends the request. A kept-alive connection the server closed just as it was reused fails
     * before any response: that one failure is retried once, as HTTP clients do for stale pooled
     * connections, rather than counted against the model.
     */
    private void send(boolean mayRetry) {
        provider.open(request.streamed()).onComplete(opened -> {
            if (opened.failed()) {
                fail(HttpModelFailures.classify(opened.cause()));
                return;
            }
            http = opened.result();
            if (done.isDone()) {
                http.reset();
                return;
            }
            http.send(OpenAiCompatibleProvider.body(request)).onComplete(answered -> {
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
        if (request.streamed()) {
            response.handler(RecordParser.newDelimited("\n", this::line));
            response.endHandler(ignored -> {
                responseEnded = true;
                finish();
            });
            return;
        }
        Buffer whole = Buffer.buffer(512);
        response.handler(chunk -> {
            if (whole.length() + chunk.length() > MAX_WHOLE_ANSWER_BYTES) {
                fail(new ModelFailure(
                        ModelFailure.Reason.STREAM_CUT,
                        "The answer is larger than " + MAX_WHOLE_ANSWER_BYTES + " bytes"));
            } else if (!done.isDone()) {
                whole.appendBuffer(chunk);
            }
        });
        response.endHandler(ignored -> {
            responseEnded = true;
            whole(whole);
        });
    }

    /** A whole completion: its message is the answer, given to the sink at once. */
    private void whole(Buffer body) {
        if (done.isDone()) {
            return;
        }
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
        if (hasText) {
            text.append(fragment);
            sink.accept(fragment);
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
                    cutShort || "length".equals(finishReason)));
        }
    }

    /** Ends the call once; an abandoned request is reset so the server stops generating and the connection is not reused. */
    private void fail(ModelFailure failure) {
        if (done.completeExceptionally(failure)) {
            vertx.cancelTimer(deadline);
            if (http != null && !responseEnded) {
                http.reset();
            }
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
