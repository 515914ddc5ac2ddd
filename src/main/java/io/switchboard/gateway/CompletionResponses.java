package io.switchboard.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.model.ChatCompletions;
import io.switchboard.model.ModelFailure;
import io.switchboard.model.ModelService;
import io.switchboard.platform.LogContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Writes what the /v1 route answers: JSON bodies and refusals, and the model's answer to a
 * prepared request, either as one completion or as server-sent chunks while the model streams.
 */
@Singleton
class CompletionResponses {

    private static final Logger LOG = Logger.getLogger(CompletionResponses.class);
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private final ModelService models;
    private final ObjectMapper json;

    CompletionResponses(ModelService models, ObjectMapper json) {
        this.models = models;
        this.json = json;
    }

    void answer(RoutingContext context, CompletionRequests.Prepared prepared) {
        String id = "chatcmpl-" + OpenAiShapes.randomId();
        long created = System.currentTimeMillis() / 1000;
        if (!prepared.modelRequest().streamed()) {
            models.answer(prepared.policy(), prepared.modelRequest(), fragment -> {})
                    .whenComplete((answer, error) -> {
                        if (error == null) {
                            send(context, 200, OpenAiShapes.completion(id, created, prepared.model(), answer));
                        } else {
                            ModelFailure failure = ModelFailure.from(error);
                            logFailure(prepared, "call", failure);
                            refuse(context, Refusal.of(failure));
                        }
                    });
            return;
        }
        // vLLM's shape: a role delta, content deltas, a finish chunk, usage when asked for, then [DONE].
        HttpServerResponse response = context.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        event(
                response,
                OpenAiShapes.chunk(id, created, prepared.model(), new ChatCompletions.Delta("assistant", ""), null));
        models.answer(
                        prepared.policy(),
                        prepared.modelRequest(),
                        fragment -> event(
                                response,
                                OpenAiShapes.chunk(
                                        id,
                                        created,
                                        prepared.model(),
                                        new ChatCompletions.Delta(null, fragment),
                                        null)))
                .whenComplete((answer, error) -> {
                    if (error == null) {
                        event(
                                response,
                                OpenAiShapes.chunk(
                                        id,
                                        created,
                                        prepared.model(),
                                        new ChatCompletions.Delta(null, ""),
                                        OpenAiShapes.finishReason(answer.reply())));
                        if (prepared.includeUsage()) {
                            event(
                                    response,
                                    new ChatCompletions.Completion(
                                            id,
                                            "chat.completion.chunk",
                                            created,
                                            prepared.model(),
                                            List.of(),
                                            OpenAiShapes.usage(answer.usage())));
                        }
                    } else {
                        ModelFailure failure = ModelFailure.from(error);
                        logFailure(prepared, "stream", failure);
                        event(response, Refusal.of(failure).body());
                    }
                    if (!response.closed() && !response.ended()) {
                        response.end(DONE);
                    }
                });
    }

    /** A customer who hung up gets nothing more; the model's answer is still metered. */
    private void event(HttpServerResponse response, Object body) {
        if (response.closed() || response.ended()) {
            return;
        }
        Buffer event = Buffer.buffer(256)
                .appendString("data: ")
                .appendBytes(bytes(body))
                .appendString("\n\n");
        response.write(event);
    }

    private static void logFailure(CompletionRequests.Prepared prepared, String what, ModelFailure failure) {
        try (LogContext ignored = LogContext.of(prepared.tenant().slug(), null)) {
            LOG.warnf("OpenAI-compatible %s failed: %s", what, failure.reason().tag());
        }
    }

    void send(RoutingContext context, int status, Object body) {
        HttpServerResponse response = context.response();
        if (!response.closed() && !response.ended()) {
            response.setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(bytes(body)));
        }
    }

    void refuse(RoutingContext context, Refusal refusal) {
        send(context, refusal.status, refusal.body());
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
