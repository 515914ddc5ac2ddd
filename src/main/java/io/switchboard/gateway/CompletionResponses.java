package io.switchboard.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.model.ChatCompletions;
import io.switchboard.model.ModelConfig;
import io.switchboard.model.ModelFailure;
import io.switchboard.model.ModelRequest;
import io.switchboard.model.ModelService;
import io.switchboard.platform.LogContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * Writes what the /v1 route answers: JSON bodies and refusals, and the model's answer to a
 * prepared request, either as one completion or as server-sent chunks while the model streams.
 * A model that speaks OpenAI is answered as it answered (its chunks, tool calls and whole
 * completions, with only {@code model} renamed to what the client asked for); another one's text
 * is put in OpenAI's shape here. A stream's headers wait for its first chunk, so a call that fails
 * before any answer is refused with a status the client's retry logic reads.
 */
@Singleton
class CompletionResponses {

    private static final Logger LOG = Logger.getLogger(CompletionResponses.class);
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private final ModelService models;
    private final ObjectMapper json;
    private final int tenantConcurrency;

    CompletionResponses(ModelService models, ObjectMapper json, ModelConfig config) {
        this.models = models;
        this.json = json;
        this.tenantConcurrency = config.tenantConcurrency();
    }

    void answer(RoutingContext context, CompletionRequests.Prepared prepared) {
        if (prepared.modelRequest().streamed()) {
            new Stream(context, prepared).start();
            return;
        }
        ModelRequest.Chunk[] whole = new ModelRequest.Chunk[1];
        ModelRequest request = listened(prepared, chunk -> whole[0] = chunk);
        models.answer(prepared.policy(), request, fragment -> {}).whenComplete((answer, error) -> {
            if (error != null) {
                refuse(context, prepared, "call", error);
            } else if (whole[0] != null) {
                sendJson(context, 200, ModelRename.splice(whole[0], ModelRename.quoted(prepared.model())));
            } else {
                String id = "chatcmpl-" + OpenAiShapes.randomId();
                send(
                        context,
                        200,
                        OpenAiShapes.completion(id, System.currentTimeMillis() / 1000, prepared.model(), answer));
            }
        });
    }

    private static ModelRequest listened(CompletionRequests.Prepared prepared, ModelRequest.ChunkListener listener) {
        ModelRequest request = prepared.modelRequest();
        return request.openAi() == null
                ? request
                : request.withOpenAi(request.openAi().listenedBy(listener));
    }

    /** One streamed answer: the upstream's chunks as they come, or the text of a model that does not speak OpenAI. */
    private final class Stream {

        final RoutingContext context;
        final CompletionRequests.Prepared prepared;
        final HttpServerResponse response;
        final String id = "chatcmpl-" + OpenAiShapes.randomId();
        final long created = System.currentTimeMillis() / 1000;
        final byte[] model;
        boolean relayed;
        boolean started;

        Stream(RoutingContext context, CompletionRequests.Prepared prepared) {
            this.context = context;
            this.prepared = prepared;
            this.response = context.response();
            this.model = ModelRename.quoted(prepared.model());
        }

        void start() {
            models.answer(prepared.policy(), listened(prepared, this::chunk), this::fragment)
                    .whenComplete((answer, error) -> {
                        if (error != null && !started) {
                            refuse(context, prepared, "stream", error);
                            return;
                        }
                        if (error != null) {
                            ModelFailure failure = ModelFailure.from(error);
                            logFailure(prepared.tenant().slug(), "stream", failure);
                            event(bytes(Refusal.of(failure, tenantConcurrency).body()));
                        } else if (!relayed) {
                            event(bytes(OpenAiShapes.chunk(
                                    id,
                                    created,
                                    prepared.model(),
                                    new ChatCompletions.Delta(null, ""),
                                    OpenAiShapes.finishReason(answer.reply()))));
                            if (prepared.includeUsage()) {
                                event(bytes(new ChatCompletions.Completion(
                                        id,
                                        "chat.completion.chunk",
                                        created,
                                        prepared.model(),
                                        List.of(),
                                        OpenAiShapes.usage(answer.usage()))));
                            }
                        } else if (answer.reply().cutShort()) {
                            // The model went past the token cap and was stopped: its own finish chunks never came.
                            for (int choice = 0; choice < prepared.choices(); choice++) {
                                event(bytes(OpenAiShapes.chunk(
                                        id,
                                        created,
                                        prepared.model(),
                                        choice,
                                        new ChatCompletions.Delta(null, null),
                                        "length")));
                            }
                        }
                        if (!response.closed() && !response.ended()) {
                            response.end(DONE);
                        }
                    });
        }

        /** A chunk as the model's server sent it (role deltas come only with the answer of the same call). */
        private void chunk(ModelRequest.Chunk chunk) {
            switch (chunk.kind()) {
                case PREAMBLE -> event(ModelRename.splice(chunk, model));
                case USAGE -> {
                    // Always asked for, to meter the call; the client gets it only when it asked too.
                    if (prepared.includeUsage()) {
                        event(ModelRename.splice(chunk, model));
                    }
                }
                case ANSWER -> {
                    relayed = true;
                    event(ModelRename.splice(chunk, model));
                }
            }
        }

        /** Text of a model that does not speak OpenAI (its chunks are relayed, not rebuilt from its text). */
        private void fragment(String fragment) {
            if (relayed) {
                return;
            }
            if (!started) {
                event(bytes(OpenAiShapes.chunk(
                        id, created, prepared.model(), new ChatCompletions.Delta("assistant", ""), null)));
            }
            event(bytes(OpenAiShapes.chunk(
                    id, created, prepared.model(), new ChatCompletions.Delta(null, fragment), null)));
        }

        /** A client who hung up gets nothing more; the model's answer is still metered. */
        private void event(byte[] data) {
            if (response.closed() || response.ended()) {
                return;
            }
            if (!started) {
                started = true;
                response.setChunked(true)
                        .putHeader("Content-Type", "text/event-stream")
                        .putHeader("Cache-Control", "no-cache");
            }
            response.write(Buffer.buffer(data.length + 8)
                    .appendString("data: ")
                    .appendBytes(data)
                    .appendString("\n\n"));
        }
    }

    private void refuse(RoutingContext context, CompletionRequests.Prepared prepared, String what, Throwable error) {
        refuse(context, prepared.tenant().slug(), what, ModelFailure.from(error));
    }

    /** A model call's failure as OpenAI reports it, logged for the tenant (its slug). */
    private void refuse(RoutingContext context, String tenant, String what, ModelFailure failure) {
        logFailure(tenant, what, failure);
        refuse(context, Refusal.of(failure, tenantConcurrency));
    }

    private static void logFailure(String tenant, String what, ModelFailure failure) {
        try (LogContext ignored = LogContext.of(tenant, null)) {
            LOG.warnf("OpenAI-compatible %s failed: %s", what, failure.reason().tag());
        }
    }

    /**
     * Refuses a call that failed before any answer went out: a {@link Refusal} as it says, a model
     * call's failure as OpenAI reports it ({@code tenant}, the caller's slug, is known by then), and
     * anything else as a 500, logged with its cause.
     */
    void failed(RoutingContext context, String tenant, String what, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof Refusal refusal) {
            refuse(context, refusal);
        } else if (cause instanceof ModelFailure failure) {
            refuse(context, tenant, what, failure);
        } else {
            LOG.errorf(cause, "An OpenAI-compatible %s could not be handled", what);
            refuse(context, new Refusal(500, "The request could not be handled", "api_error", "internal_error"));
        }
    }

    void send(RoutingContext context, int status, Object body) {
        sendJson(context, status, bytes(body));
    }

    /** A JSON answer, unless the response is already on its way or the client hung up. */
    static void sendJson(RoutingContext context, int status, byte[] body) {
        HttpServerResponse response = context.response();
        if (!response.closed() && !response.ended()) {
            response.setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(body));
        }
    }

    void refuse(RoutingContext context, Refusal refusal) {
        OpenAiErrors.write(context, json, refusal);
    }

    private byte[] bytes(Object body) {
        return toJson(json, body);
    }

    static byte[] toJson(ObjectMapper json, Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
