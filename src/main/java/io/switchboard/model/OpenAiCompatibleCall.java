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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
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
    /**
     * Role deltas held back until the answer starts: one per choice, and OpenAI allows 128 choices;
     * more means something else is being sent.
     */
    private static final int MAX_HELD_CHUNKS = 128;

    private final OpenAiCompatibleProvider provider;
    private final ModelRequest request;
    private final TokenSink sink;
    private final long started = System.nanoTime();
    /** The text of every choice (n > 1 interleaves them: the reply's text is then only counted, for metering). */
    private final StringBuilder text = new StringBuilder();
    /** Whether the answer holds tool calls: an answer of tool calls alone has no text and is complete. */
    private boolean toolCalls;
    /** The tool calls, put together from their fragments; made at the first fragment, as most answers have none. */
    private ToolCallAssembly calls;
    /** A whole completion for the caller's chunk listener, handed over once the call succeeded. */
    private ModelRequest.Chunk wholeAnswer;
    /**
     * This call's role deltas, handed to the listener with its first chunk of the answer: a call that
     * fails before it leaves nothing behind for the next model's answer to follow.
     */
    private List<ModelRequest.Chunk> held;

    private long firstTokenAt;
    /** Text deltas so far of each choice, by index: the token cap applies to each choice, as OpenAI's does. */
    private int[] fragments = new int[1];

    private Integer inputTokens;
    private Integer outputTokens;
    /** The choices the answer has shown, and those that have finished: a complete answer finishes each. */
    private final BitSet choices = new BitSet();

    private final BitSet finished = new BitSet();
    private boolean finishedAtLength;
    /** The first choice's finish reason: what the platform's own turns (one choice) act on, such as {@code tool_calls}. */
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
            wholeAnswer = new ModelRequest.Chunk(
                    body.getBytes(), ModelRequest.ChunkKind.ANSWER, completion.modelStart(), completion.modelEnd());
        }
        for (StreamChunk.Choice choice : completion.choices()) {
            if (choice.content() != null) {
                text.append(choice.content());
                if (choice.index() == 0 && !choice.content().isBlank()) {
                    sink.accept(choice.content());
                }
            }
        }
        finish();
    }

    /** The token usage and each choice's finish reason, from whichever chunk (or whole completion) carries them. */
    private void keepUsageAndFinish(StreamChunk chunk) {
        if (chunk.hasUsage()) {
            inputTokens = chunk.promptTokens();
            outputTokens = chunk.completionTokens();
        }
        for (StreamChunk.Choice choice : chunk.choices()) {
            if (choice.index() >= 0) {
                choices.set(choice.index());
                if (choice.finishReason() != null) {
                    finished.set(choice.index());
                    finishedAtLength |= "length".equals(choice.finishReason());
                    if (choice.index() == 0) {
                        finishReason = choice.finishReason();
                    }
                }
            }
        }
    }

    /**
     * One line of the event stream: text deltas go to the sink as they come (the first choice's);
     * the finish reasons and the usage (sent in a last chunk when asked for) are kept. A model that
     * ignores {@code max_tokens} is stopped when one choice passes the limit (servers stream about
     * one token per chunk).
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
        boolean hasText = false;
        for (StreamChunk.Choice choice : chunk.choices()) {
            if (choice.content() != null && !choice.content().isEmpty()) {
                hasText = true;
                if (overCap(choice.index())) {
                    cutShort = true;
                    finish();
                    http.reset();
                    return;
                }
            }
        }
        if (hasText || chunk.toolCalls()) {
            firstToken();
        }
        ModelRequest.ChunkListener listener = listener();
        if (listener != null) {
            relay(
                    listener,
                    new ModelRequest.Chunk(
                            Arrays.copyOfRange(bytes, start, end),
                            kind(chunk, hasText),
                            chunk.modelStart(),
                            chunk.modelEnd()));
        }
        toolCalls |= chunk.toolCalls();
        assemble(chunk);
        for (StreamChunk.Choice choice : chunk.choices()) {
            String fragment = choice.content();
            if (fragment != null && !fragment.isEmpty()) {
                text.append(fragment);
                if (choice.index() == 0) {
                    sink.accept(fragment);
                }
            }
        }
    }

    /** Counts a text delta of the choice: whether it goes past the request's token cap. */
    private boolean overCap(int choice) {
        if (request.maxOutputTokens() == null || choice < 0) {
            return false;
        }
        if (choice >= fragments.length) {
            fragments = Arrays.copyOf(fragments, Math.max(choice + 1, fragments.length * 2));
        }
        return ++fragments[choice] > request.maxOutputTokens();
    }

    /** Role deltas wait for this call's answer; the answer's first chunk takes them along. */
    private void relay(ModelRequest.ChunkListener listener, ModelRequest.Chunk chunk) {
        if (chunk.kind() == ModelRequest.ChunkKind.PREAMBLE) {
            if (held == null) {
                held = new ArrayList<>(1);
            }
            if (held.size() < MAX_HELD_CHUNKS) {
                held.add(chunk);
            }
            return;
        }
        if (chunk.kind() == ModelRequest.ChunkKind.ANSWER && held != null) {
            held.forEach(listener::accept);
            held = null;
        }
        listener.accept(chunk);
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
        if (hasText || chunk.toolCalls()) {
            return ModelRequest.ChunkKind.ANSWER;
        }
        for (StreamChunk.Choice choice : chunk.choices()) {
            if (choice.finishReason() != null) {
                return ModelRequest.ChunkKind.ANSWER;
            }
        }
        return chunk.hasUsage() ? ModelRequest.ChunkKind.USAGE : ModelRequest.ChunkKind.PREAMBLE;
    }

    private void finish() {
        if (done.isDone()) {
            return;
        }
        vertx.cancelTimer(deadline);
        long now = System.nanoTime();
        if (!cutShort && (finished.isEmpty() || !finished.equals(choices))) {
            // vLLM and peers always end a complete stream with a finish reason: without it the stream was cut.
            fail(new ModelFailure(ModelFailure.Reason.STREAM_CUT, "The stream ended without a finish reason"));
        } else if (!toolCalls && (text.isEmpty() || text.toString().isBlank())) {
            fail(new ModelFailure(ModelFailure.Reason.EMPTY_ANSWER, "The model returned no text"));
        } else {
            if (wholeAnswer != null) {
                listener().accept(wholeAnswer);
            }
            done.complete(new ModelReply(
                    text.toString(),
                    cutShort ? null : inputTokens,
                    cutShort ? null : outputTokens,
                    TimeUnit.NANOSECONDS.toMillis((firstTokenAt == 0 ? now : firstTokenAt) - started),
                    TimeUnit.NANOSECONDS.toMillis(now - started),
                    List.of(),
                    true,
                    cutShort || finishedAtLength,
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
