package io.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Finds what a model behind an OpenAI-compatible endpoint does beyond text, with a few tiny
 * requests (not streamed, a handful of tokens each), run only when an endpoint is probed:
 * <ul>
 * <li>tools: one tool offered with {@code tool_choice: "auto"}, as clients send it; should the model
 * answer in text instead, once more with {@code "required"}. Supported when the answer carries a
 * tool call, unsupported when the server refuses the request or the model never calls the tool.</li>
 * <li>JSON mode: {@code response_format: json_object}; supported when the answer parses as a JSON
 * object, unsupported when it does not or the server refuses.</li>
 * <li>images: a 1×1 PNG as a data-URL image part; supported when the server accepts it,
 * unsupported when it refuses.</li>
 * <li>embeddings: one word to {@code /embeddings}; supported when a vector comes back, unsupported
 * when the server refuses (vLLM refuses a chat model with 400; a server without the route answers 404).</li>
 * </ul>
 * A check that ends otherwise (a timeout, a 5xx) leaves the capability unknown. Only what the
 * provider leaves open is asked: a capability its ceiling rules out is not.
 */
final class CapabilityProbe {

    static final String PIXEL_PNG =
            "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC";
    private static final int TOOL_TOKENS = 64;
    private static final int JSON_TOKENS = 32;
    private static final int IMAGE_TOKENS = 8;

    /** How one check's request ended: the reply and the completion as the server sent it, or the failure. */
    private record Outcome(ModelReply reply, byte[] completion, ModelFailure failure) {

        /** The server refused the request's shape (vLLM answers 400, some servers 422 for a field they do not take). */
        boolean refused() {
            Integer status = failure == null ? null : failure.httpStatus();
            return status != null && (status == 400 || status == 422);
        }

        boolean emptyAnswer() {
            return failure != null && failure.reason() == ModelFailure.Reason.EMPTY_ANSWER;
        }

        boolean callsTool() {
            try {
                return completion != null
                        && StreamChunk.read(completion, 0, completion.length).toolCalls();
            } catch (IOException unreadable) {
                return false;
            }
        }
    }

    private final ModelProvider provider;
    private final String model;
    private final ObjectMapper json;

    CapabilityProbe(ModelProvider provider, String model, ObjectMapper json) {
        this.provider = provider;
        this.model = model;
        this.json = json;
    }

    /** The capabilities the ceiling leaves unknown, each checked; the others as the ceiling says. */
    Capabilities check(Capabilities ceiling) {
        return ceiling.narrowedBy(new Capabilities(
                ceiling.tools() == null ? tools() : null,
                ceiling.jsonMode() == null ? jsonMode() : null,
                ceiling.images() == null ? images() : null,
                ceiling.embeddings() == null ? embeddings() : null));
    }

    /** Only whether the model embeds, for a model that does not chat (an embedding model): the rest unknown. */
    Capabilities checkEmbeddingsOnly(Capabilities ceiling) {
        return ceiling.narrowedBy(
                Capabilities.UNKNOWN.withEmbeddings(ceiling.embeddings() == null ? embeddings() : null));
    }

    private Boolean embeddings() {
        ObjectNode body = json.createObjectNode().put("model", model).put("input", "ready");
        try {
            byte[] answer =
                    provider.embeddings(json.writeValueAsBytes(body)).join().body();
            JsonNode vector = json.readTree(answer).path("data").path(0).path("embedding");
            return vector.isArray() && !vector.isEmpty();
        } catch (IOException notJson) {
            return false;
        } catch (CompletionException failed) {
            if (failed.getCause() instanceof ModelFailure failure) {
                Integer status = failure.httpStatus();
                return failure.reason() == ModelFailure.Reason.NOT_CONFIGURED
                                || (status != null && (status == 400 || status == 404 || status == 422))
                        ? false
                        : null;
            }
            return null;
        }
    }

    private Boolean tools() {
        Outcome auto = ask(toolRequest("auto"), TOOL_TOKENS);
        if (auto.reply() != null && auto.callsTool()) {
            return true;
        }
        if (auto.refused()) {
            return false;
        }
        if (auto.reply() == null && !auto.emptyAnswer()) {
            return null;
        }
        Outcome required = ask(toolRequest("required"), TOOL_TOKENS);
        if (required.reply() != null) {
            return required.callsTool();
        }
        return required.refused() || required.emptyAnswer() ? false : null;
    }

    private Boolean jsonMode() {
        ObjectNode body = request("Reply with a JSON object whose key \"ready\" is true.");
        body.putObject("response_format").put("type", "json_object");
        Outcome answer = ask(body, JSON_TOKENS);
        if (answer.reply() != null) {
            try {
                return json.readTree(answer.reply().text().strip()) instanceof ObjectNode;
            } catch (IOException notJson) {
                return false;
            }
        }
        return answer.refused() || answer.emptyAnswer() ? false : null;
    }

    private Boolean images() {
        ObjectNode body = json.createObjectNode();
        ArrayNode content =
                body.putArray("messages").addObject().put("role", "user").putArray("content");
        content.addObject().put("type", "text").put("text", "What colour is this image? One word.");
        content.addObject().put("type", "image_url").putObject("image_url").put("url", PIXEL_PNG);
        Outcome answer = ask(body, IMAGE_TOKENS);
        // A model that saw the image and said nothing still had it accepted.
        if (answer.reply() != null || answer.emptyAnswer()) {
            return true;
        }
        return answer.refused() ? false : null;
    }

    private ObjectNode toolRequest(String toolChoice) {
        ObjectNode body = request("What time is it? Use the get_time tool.");
        ObjectNode function = body.putArray("tools")
                .addObject()
                .put("type", "function")
                .putObject("function")
                .put("name", "get_time")
                .put("description", "Tells the current time");
        function.putObject("parameters").put("type", "object").putObject("properties");
        body.put("tool_choice", toolChoice);
        return body;
    }

    private ObjectNode request(String question) {
        ObjectNode body = json.createObjectNode();
        body.putArray("messages").addObject().put("role", "user").put("content", question);
        return body;
    }

    private Outcome ask(ObjectNode body, int maxTokens) {
        AtomicReference<byte[]> completion = new AtomicReference<>();
        JsonNode question = body.path("messages").path(0).path("content");
        ModelRequest request = new ModelRequest(
                new UUID(0, 0),
                "probe",
                ModelRequest.Source.API,
                model,
                List.of(new ModelRequest.Turn(ModelRequest.Role.USER, question.asText())),
                Grounding.none(),
                maxTokens,
                false,
                new ModelRequest.OpenAiBody(body, Set.of(), answer -> completion.set(answer.json())));
        try {
            ModelReply reply = provider.chat(request, fragment -> {});
            return new Outcome(reply, completion.get(), null);
        } catch (ModelFailure failure) {
            return new Outcome(null, null, failure);
        }
    }
}
