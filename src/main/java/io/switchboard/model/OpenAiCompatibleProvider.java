package io.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Streams from an OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp, hosted routers) with
 * the JDK HTTP client and a server-sent-events reader of its own, enforcing connect, first-token
 * and total timeouts. Written directly rather than through langchain4j's client, whose per-call
 * work measured at most of the latency Switchboard added to a model call (docs/benchmarks.md).
 */
class OpenAiCompatibleProvider implements ModelProvider {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExecutorService STREAM_READERS = Executors.newVirtualThreadPerTaskExecutor();
    private static final int ERROR_BODY_LINES = 20;

    private final ModelEndpoint endpoint;
    private final HttpClient client;
    private final URI completions;
    private final String authorization;

    OpenAiCompatibleProvider(ModelEndpoint endpoint) {
        this.endpoint = endpoint;
        String baseUrl = endpoint.baseUrl().orElseThrow();
        this.completions = URI.create(baseUrl.endsWith("/") ? baseUrl + "chat/completions" : baseUrl + "/chat/completions");
        this.authorization = endpoint.apiKeyRef().flatMap(ApiKeyReference::resolve).map(key -> "Bearer " + key).orElse(null);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(endpoint.connectTimeout())
                .executor(STREAM_READERS).build();
    }

    /** What the stream said so far; written by the reader thread, read by the caller once {@code done} completes. */
    private static final class Answer {
        final StringBuilder text = new StringBuilder();
        int fragments;
        Integer inputTokens;
        Integer outputTokens;
        String finishReason;
        boolean cutShort;
    }

    @Override
    public ModelReply chat(ModelRequest request, TokenSink sink) throws ModelFailure {
        long started = System.nanoTime();
        AtomicLong firstTokenAt = new AtomicLong();
        AtomicBoolean open = new AtomicBoolean(true);
        AtomicReference<Stream<String>> body = new AtomicReference<>();
        CountDownLatch firstSignal = new CountDownLatch(1);
        CompletableFuture<Answer> done = new CompletableFuture<>();
        HttpRequest http = httpRequest(request);

        // The response is read on a thread of its own, so this one stays free to enforce the timeouts.
        STREAM_READERS.execute(() -> {
            try {
                HttpResponse<Stream<String>> response = client.send(http, HttpResponse.BodyHandlers.ofLines());
                body.set(response.body());
                if (!open.get()) {
                    response.body().close();
                    return;
                }
                if (response.statusCode() != 200) {
                    done.completeExceptionally(httpError(response));
                    return;
                }
                done.complete(read(response.body(), request, sink, open, firstTokenAt, firstSignal));
            } catch (Exception e) {
                done.completeExceptionally(e);
            } finally {
                firstSignal.countDown();
            }
        });

        try {
            if (!firstSignal.await(endpoint.firstTokenTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw abandon(open, body, new ModelFailure(ModelFailure.Reason.FIRST_TOKEN_TIMEOUT,
                        "No token within " + endpoint.firstTokenTimeout().toMillis() + " ms"));
            }
            long remaining = endpoint.totalTimeout().toNanos() - (System.nanoTime() - started);
            Answer answer = done.get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
            open.set(false);
            return toReply(answer, started, firstTokenAt.get());
        } catch (TimeoutException e) {
            throw abandon(open, body, new ModelFailure(ModelFailure.Reason.TOTAL_TIMEOUT,
                    "Answer not complete within " + endpoint.totalTimeout().toMillis() + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abandon(open, body, new ModelFailure(ModelFailure.Reason.INTERRUPTED, "Interrupted while waiting for the model"));
        } catch (ExecutionException e) {
            open.set(false);
            throw e.getCause() instanceof ModelFailure failure ? failure : classify(e.getCause());
        }
    }

    /**
     * Reads the event stream: text deltas go to the sink as they come; the finish reason and the
     * usage (sent in a last chunk when asked for) are kept. A model that ignores {@code max_tokens}
     * is stopped at the limit (servers stream about one token per chunk).
     */
    private static Answer read(Stream<String> lines, ModelRequest request, TokenSink sink, AtomicBoolean open, AtomicLong firstTokenAt,
            CountDownLatch firstSignal) throws IOException {
        Answer answer = new Answer();
        try (lines) {
            Iterator<String> events = lines.iterator();
            while (events.hasNext()) {
                String line = events.next();
                if (!line.startsWith("data:")) {
                    continue;
                }
                String data = line.substring(5).strip();
                if (data.equals("[DONE]")) {
                    break;
                }
                JsonNode chunk = JSON.readTree(data);
                JsonNode usage = chunk.path("usage");
                if (usage.isObject()) {
                    answer.inputTokens = usage.path("prompt_tokens").isInt() ? usage.path("prompt_tokens").intValue() : null;
                    answer.outputTokens = usage.path("completion_tokens").isInt() ? usage.path("completion_tokens").intValue() : null;
                }
                JsonNode choice = chunk.path("choices").path(0);
                String finish = choice.path("finish_reason").textValue();
                if (finish != null) {
                    answer.finishReason = finish;
                }
                String text = choice.path("delta").path("content").textValue();
                if (text == null || text.isEmpty()) {
                    continue;
                }
                firstTokenAt.compareAndSet(0, System.nanoTime());
                firstSignal.countDown();
                if (request.maxOutputTokens() != null && ++answer.fragments > request.maxOutputTokens()) {
                    answer.cutShort = true;
                    break;
                }
                answer.text.append(text);
                if (open.get()) {
                    sink.accept(text);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return answer;
    }

    private HttpRequest httpRequest(ModelRequest request) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", request.model());
        ArrayNode messages = body.putArray("messages");
        for (ModelRequest.Turn turn : request.messages()) {
            messages.addObject().put("role", turn.role().name().toLowerCase(Locale.ROOT)).put("content", turn.text());
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        if (request.maxOutputTokens() != null) {
            body.put("max_tokens", request.maxOutputTokens());
        }
        HttpRequest.Builder http = HttpRequest.newBuilder(completions)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (authorization != null) {
            http.header("Authorization", authorization);
        }
        return http.build();
    }

    /** A refusal with its status; the server's words go to the log line only, never to a customer. */
    private static ModelFailure httpError(HttpResponse<Stream<String>> response) {
        String detail;
        try (Stream<String> lines = response.body()) {
            detail = String.join(" ", lines.limit(ERROR_BODY_LINES).toList());
        } catch (UncheckedIOException unreadable) {
            detail = "";
        }
        return new ModelFailure(ModelFailure.Reason.HTTP_ERROR, "HTTP " + response.statusCode() + " from the model endpoint"
                + (detail.isBlank() ? "" : ": " + (detail.length() > 300 ? detail.substring(0, 300) : detail)), null,
                response.statusCode());
    }

    private static ModelFailure abandon(AtomicBoolean open, AtomicReference<Stream<String>> body, ModelFailure failure) {
        open.set(false);
        Stream<String> stream = body.get();
        if (stream != null) {
            stream.close();
        }
        return failure;
    }

    private ModelReply toReply(Answer answer, long started, long firstTokenAt) throws ModelFailure {
        long now = System.nanoTime();
        if (!answer.cutShort && answer.finishReason == null) {
            // vLLM and peers always end a complete stream with a finish reason: without it the stream was cut.
            throw new ModelFailure(ModelFailure.Reason.STREAM_CUT, "The stream ended without a finish reason");
        }
        if (answer.text.isEmpty() || answer.text.toString().isBlank()) {
            throw new ModelFailure(ModelFailure.Reason.EMPTY_ANSWER, "The model returned no text");
        }
        return new ModelReply(answer.text.toString(), answer.cutShort ? null : answer.inputTokens, answer.cutShort ? null : answer.outputTokens,
                TimeUnit.NANOSECONDS.toMillis((firstTokenAt == 0 ? now : firstTokenAt) - started),
                TimeUnit.NANOSECONDS.toMillis(now - started), List.of(), true,
                answer.cutShort || "length".equals(answer.finishReason));
    }

    private static ModelFailure classify(Throwable error) {
        Throwable cause = error;
        while (cause != null) {
            if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException
                    || cause instanceof UnresolvedAddressException) {
                return new ModelFailure(ModelFailure.Reason.UNREACHABLE, "Model endpoint unreachable: " + cause.getClass().getSimpleName(), error);
            }
            if (cause instanceof IOException) {
                return new ModelFailure(ModelFailure.Reason.STREAM_CUT, "Connection failed mid-answer: " + cause.getClass().getSimpleName(), error);
            }
            cause = cause.getCause();
        }
        return new ModelFailure(ModelFailure.Reason.HTTP_ERROR, "Model call failed: " + error.getClass().getSimpleName(), error);
    }
}
