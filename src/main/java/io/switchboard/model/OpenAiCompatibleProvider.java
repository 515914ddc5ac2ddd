package io.switchboard.model;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Streams from an OpenAI-compatible server through langchain4j, with connect, first-token and total timeouts. */
class OpenAiCompatibleProvider implements ModelProvider {

    private static final ExecutorService STREAM_READERS = Executors.newVirtualThreadPerTaskExecutor();

    private final ModelEndpoint endpoint;
    private final OpenAiStreamingChatModel client;

    OpenAiCompatibleProvider(ModelEndpoint endpoint) {
        this.endpoint = endpoint;
        String apiKey = endpoint.apiKeyRef().flatMap(ApiKeyReference::resolve).orElse("none");
        this.client = OpenAiStreamingChatModel.builder()
                .baseUrl(endpoint.baseUrl().orElseThrow())
                .apiKey(apiKey)
                .modelName(endpoint.models().isEmpty() ? "default" : endpoint.models().get(0))
                .httpClientBuilder(new JdkHttpClientBuilder()
                        .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                        .connectTimeout(endpoint.connectTimeout())
                        .readTimeout(endpoint.totalTimeout()))
                .timeout(endpoint.totalTimeout())
                .build();
    }

    @Override
    public ModelReply chat(ModelRequest request, TokenSink sink) throws ModelFailure {
        long started = System.nanoTime();
        AtomicLong firstTokenAt = new AtomicLong();
        AtomicBoolean open = new AtomicBoolean(true);
        AtomicReference<StreamingHandle> handle = new AtomicReference<>();
        CountDownLatch firstSignal = new CountDownLatch(1);
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        // What was streamed, kept to end an answer that runs past its token limit (read after done completes).
        StringBuilder streamed = new StringBuilder();
        AtomicInteger fragments = new AtomicInteger();
        AtomicBoolean cutShort = new AtomicBoolean();

        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                handle.compareAndSet(null, context.streamingHandle());
                String text = partial.text();
                if (text == null || text.isEmpty()) {
                    return;
                }
                firstTokenAt.compareAndSet(0, System.nanoTime());
                firstSignal.countDown();
                if (cutShort.get()) {
                    return;
                }
                if (request.maxOutputTokens() != null && fragments.incrementAndGet() > request.maxOutputTokens()) {
                    // A model that ignores max_tokens is stopped here: servers stream about one token per chunk.
                    cutShort.set(true);
                    context.streamingHandle().cancel();
                    done.complete(null);
                    return;
                }
                streamed.append(text);
                if (open.get()) {
                    sink.accept(text);
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                firstSignal.countDown();
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                firstSignal.countDown();
                done.completeExceptionally(error);
            }
        };
        ChatRequest chatRequest = toChatRequest(request);
        // langchain4j may read the whole stream on the calling thread when the response arrives
        // quickly; reading on a thread of its own keeps this one free to enforce the timeouts.
        STREAM_READERS.execute(() -> {
            try {
                client.chat(chatRequest, handler);
            } catch (RuntimeException e) {
                handler.onError(e);
            }
        });

        try {
            if (!firstSignal.await(endpoint.firstTokenTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw abandon(open, handle, new ModelFailure(ModelFailure.Reason.FIRST_TOKEN_TIMEOUT,
                        "No token within " + endpoint.firstTokenTimeout().toMillis() + " ms"));
            }
            long remaining = endpoint.totalTimeout().toNanos() - (System.nanoTime() - started);
            ChatResponse response = done.get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
            open.set(false);
            if (cutShort.get()) {
                long now = System.nanoTime();
                return new ModelReply(streamed.toString(), null, null, TimeUnit.NANOSECONDS.toMillis(firstTokenAt.get() - started),
                        TimeUnit.NANOSECONDS.toMillis(now - started), List.of(), true, true);
            }
            return toReply(response, started, firstTokenAt.get());
        } catch (TimeoutException e) {
            throw abandon(open, handle, new ModelFailure(ModelFailure.Reason.TOTAL_TIMEOUT,
                    "Answer not complete within " + endpoint.totalTimeout().toMillis() + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abandon(open, handle, new ModelFailure(ModelFailure.Reason.INTERRUPTED, "Interrupted while waiting for the model"));
        } catch (ExecutionException e) {
            open.set(false);
            throw classify(e.getCause());
        }
    }

    private static ModelFailure abandon(AtomicBoolean open, AtomicReference<StreamingHandle> handle, ModelFailure failure) {
        open.set(false);
        StreamingHandle streaming = handle.get();
        if (streaming != null) {
            streaming.cancel();
        }
        return failure;
    }

    private ModelReply toReply(ChatResponse response, long started, long firstTokenAt) throws ModelFailure {
        long now = System.nanoTime();
        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        if (response.finishReason() == null) {
            // vLLM and peers always end a complete stream with a finish reason: without it the stream was cut.
            throw new ModelFailure(ModelFailure.Reason.STREAM_CUT, "The stream ended without a finish reason");
        }
        if (text == null || text.isBlank()) {
            throw new ModelFailure(ModelFailure.Reason.EMPTY_ANSWER, "The model returned no text");
        }
        TokenUsage usage = response.tokenUsage();
        return new ModelReply(text,
                usage == null ? null : usage.inputTokenCount(),
                usage == null ? null : usage.outputTokenCount(),
                TimeUnit.NANOSECONDS.toMillis((firstTokenAt == 0 ? now : firstTokenAt) - started),
                TimeUnit.NANOSECONDS.toMillis(now - started),
                List.of(), true, response.finishReason() == FinishReason.LENGTH);
    }

    private static ModelFailure classify(Throwable error) {
        Throwable cause = error;
        while (cause != null) {
            if (cause instanceof HttpException http) {
                return new ModelFailure(ModelFailure.Reason.HTTP_ERROR, "HTTP " + http.statusCode() + " from the model endpoint", error,
                        http.statusCode());
            }
            if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException
                    || cause instanceof UnresolvedAddressException || cause instanceof UnresolvedModelServerException) {
                return new ModelFailure(ModelFailure.Reason.UNREACHABLE, "Model endpoint unreachable: " + cause.getClass().getSimpleName(), error);
            }
            if (cause instanceof IOException) {
                return new ModelFailure(ModelFailure.Reason.STREAM_CUT, "Connection failed mid-answer: " + cause.getClass().getSimpleName(), error);
            }
            cause = cause.getCause();
        }
        return new ModelFailure(ModelFailure.Reason.HTTP_ERROR, "Model call failed: " + error.getClass().getSimpleName(), error);
    }

    private static ChatRequest toChatRequest(ModelRequest request) {
        List<ChatMessage> messages = request.messages().stream().map(turn -> switch (turn.role()) {
            case SYSTEM -> (ChatMessage) SystemMessage.from(turn.text());
            case USER -> UserMessage.from(turn.text());
            case ASSISTANT -> AiMessage.from(turn.text());
        }).toList();
        return ChatRequest.builder().modelName(request.model()).messages(messages).maxOutputTokens(request.maxOutputTokens()).build();
    }
}
