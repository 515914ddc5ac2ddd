package io.switchboard.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Streams from an OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp, hosted routers) with
 * the Vert.x HTTP client and a server-sent-events reader of its own, enforcing connect, first-token
 * and total timeouts with event-loop timers; a request that is not {@linkplain ModelRequest#streamed()
 * streamed} gets the whole answer in one JSON response, under the total timeout. A call runs start
 * to finish on one event loop: no thread waits for the model, and none is handed the stream midway
 * (docs/benchmarks-archive.md measured each hand-over in what `/v1` adds to a model call).
 */
final class OpenAiCompatibleProvider implements ModelProvider, AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] DONE_DATA = "[DONE]".getBytes(StandardCharsets.US_ASCII);
    /** Keep-alive connections per endpoint and event loop: more concurrent calls than this wait for a free one. */
    private static final int MAX_CONNECTIONS = 1000;

    private static final int ERROR_BODY_CHARS = 300;
    /** A whole answer larger than this is refused rather than held in memory: far above any model's output limit. */
    private static final int MAX_WHOLE_ANSWER_BYTES = 4 * 1024 * 1024;

    private static final int KEEP_ALIVE_SECONDS = 4;

    private final ModelEndpoint endpoint;
    private final Vertx vertx;
    private final HttpClientOptions clientOptions;
    /**
     * One client (and so one connection pool) per event loop: a pooled connection lives on the loop
     * that opened it, and a call from another loop would hop to it and back for every write and read.
     */
    private final Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();

    private final String completions;
    private final String authorization;

    OpenAiCompatibleProvider(ModelEndpoint endpoint, Vertx vertx) {
        this.endpoint = endpoint;
        this.vertx = vertx;
        String baseUrl = endpoint.baseUrl().orElseThrow();
        this.completions = baseUrl.endsWith("/") ? baseUrl + "chat/completions" : baseUrl + "/chat/completions";
        this.authorization = endpoint.apiKeyRef()
                .flatMap(ApiKeyReference::resolve)
                .map(key -> "Bearer " + key)
                .orElse(null);
        this.clientOptions = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setSsl("https".equals(URI.create(completions).getScheme()))
                .setConnectTimeout((int) endpoint.connectTimeout().toMillis())
                .setKeepAlive(true)
                // Close idle connections before the server does (uvicorn, under vLLM and SGLang, after 5 s), not while
                // reusing one.
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setTcpNoDelay(true);
    }

    @Override
    public CompletableFuture<ModelReply> stream(ModelRequest request, TokenSink sink) {
        return EventLoops.start(vertx, () -> {
            Call call = new Call(request, sink);
            call.start();
            return call.done;
        });
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::close);
    }

    /** One model call; every method runs on its event loop. */
    private final class Call {

        final CompletableFuture<ModelReply> done = new CompletableFuture<>();
        final ModelRequest request;
        final TokenSink sink;
        final long started = System.nanoTime();
        final StringBuilder text = new StringBuilder();
        long firstTokenAt;
        int fragments;
        Integer inputTokens;
        Integer outputTokens;
        String finishReason;
        boolean cutShort;
        HttpClientRequest http;
        /** Set once the server finished the response: its connection is back in the pool and must not be reset. */
        boolean responseEnded;

        long deadline;

        Call(ModelRequest request, TokenSink sink) {
            this.request = request;
            this.sink = sink;
        }

        void start() {
            if (request.streamed()) {
                deadline = vertx.setTimer(
                        endpoint.firstTokenTimeout().toMillis(),
                        ignored -> fail(new ModelFailure(
                                ModelFailure.Reason.FIRST_TOKEN_TIMEOUT,
                                "No token within "
                                        + endpoint.firstTokenTimeout().toMillis() + " ms")));
            } else {
                deadline = vertx.setTimer(endpoint.totalTimeout().toMillis(), ignored -> totalTimeout());
            }
            send(true);
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
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setAbsoluteURI(completions)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Accept", request.streamed() ? "text/event-stream" : "application/json");
            if (authorization != null) {
                options.putHeader("Authorization", authorization);
            }
            HttpClient client = clients.computeIfAbsent(
                    Thread.currentThread(),
                    loop -> vertx.createHttpClient(clientOptions, new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS)));
            client.request(options).onComplete(opened -> {
                if (opened.failed()) {
                    fail(classify(opened.cause()));
                    return;
                }
                http = opened.result();
                if (done.isDone()) {
                    http.reset();
                    return;
                }
                http.send(body(request)).onComplete(answered -> {
                    if (answered.succeeded()) {
                        read(answered.result());
                    } else if (mayRetry && answered.cause() instanceof HttpClosedException && !done.isDone()) {
                        send(false);
                    } else {
                        fail(classify(answered.cause()));
                    }
                });
            });
        }

        private void read(HttpClientResponse response) {
            if (response.statusCode() != 200) {
                StringBuilder detail = new StringBuilder();
                response.handler(chunk -> {
                    if (detail.length() < ERROR_BODY_CHARS) {
                        detail.append(chunk.toString(StandardCharsets.UTF_8));
                    }
                });
                response.endHandler(ignored -> {
                    responseEnded = true;
                    fail(httpError(response.statusCode(), detail.toString()));
                });
                response.exceptionHandler(ignored -> fail(httpError(response.statusCode(), detail.toString())));
                return;
            }
            response.exceptionHandler(error -> fail(classify(error)));
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
                fail(new ModelFailure(
                        ModelFailure.Reason.STREAM_CUT, "The answer is not one JSON completion", unreadable));
                return;
            }
            firstTokenAt = System.nanoTime();
            keepUsageAndFinish(completion);
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
            if (fragment == null || fragment.isEmpty()) {
                return;
            }
            if (firstTokenAt == 0) {
                firstTokenAt = System.nanoTime();
                // The first token arrived in time: from now on only the whole answer's limit applies.
                vertx.cancelTimer(deadline);
                long remaining = endpoint.totalTimeout().toNanos() - (firstTokenAt - started);
                deadline = vertx.setTimer(
                        Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)), ignored -> totalTimeout());
            }
            if (request.maxOutputTokens() != null && ++fragments > request.maxOutputTokens()) {
                cutShort = true;
                finish();
                http.reset();
                return;
            }
            text.append(fragment);
            sink.accept(fragment);
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
            } else if (text.isEmpty() || text.toString().isBlank()) {
                fail(new ModelFailure(ModelFailure.Reason.EMPTY_ANSWER, "The model returned no text"));
            } else {
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

    /** Written field by field: a tree of nodes first would be built only to be serialised once. */
    private static Buffer body(ModelRequest request) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(256);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("model", request.model());
            json.writeArrayFieldStart("messages");
            for (ModelRequest.Turn turn : request.messages()) {
                json.writeStartObject();
                json.writeStringField("role", turn.role().name().toLowerCase(Locale.ROOT));
                json.writeStringField("content", turn.text());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeBooleanField("stream", request.streamed());
            if (request.streamed()) {
                json.writeObjectFieldStart("stream_options");
                json.writeBooleanField("include_usage", true);
                json.writeEndObject();
            }
            if (request.maxOutputTokens() != null) {
                json.writeNumberField("max_tokens", request.maxOutputTokens());
            }
            json.writeEndObject();
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return Buffer.buffer(bytes.toByteArray());
    }

    /** A refusal with its status; the server's words go to the log line only, never to a customer. */
    private static ModelFailure httpError(int status, String detail) {
        String said = detail.strip().replaceAll("\\s+", " ");
        return new ModelFailure(
                ModelFailure.Reason.HTTP_ERROR,
                "HTTP " + status + " from the model endpoint"
                        + (said.isEmpty()
                                ? ""
                                : ": "
                                        + (said.length() > ERROR_BODY_CHARS
                                                ? said.substring(0, ERROR_BODY_CHARS)
                                                : said)),
                null,
                status);
    }

    private static ModelFailure classify(Throwable error) {
        Throwable cause = error;
        while (cause != null) {
            // Netty's connect timeout is a ConnectException too.
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return new ModelFailure(
                        ModelFailure.Reason.UNREACHABLE,
                        "Model endpoint unreachable: " + cause.getClass().getSimpleName(),
                        error);
            }
            if (cause instanceof IOException || cause instanceof VertxException) {
                return new ModelFailure(
                        ModelFailure.Reason.STREAM_CUT,
                        "Connection failed mid-answer: " + cause.getClass().getSimpleName(),
                        error);
            }
            cause = cause.getCause();
        }
        return new ModelFailure(
                ModelFailure.Reason.HTTP_ERROR,
                "Model call failed: " + error.getClass().getSimpleName(),
                error);
    }
}
