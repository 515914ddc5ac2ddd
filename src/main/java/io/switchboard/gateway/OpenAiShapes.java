package io.switchboard.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.model.ChatCompletions;
import io.switchboard.model.ModelReply;
import io.switchboard.model.ModelRequest;
import io.switchboard.model.ModelService;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/** Between OpenAI's wire shapes and the platform's: the caller's messages as model turns, answers and stream chunks as OpenAI returns them. */
final class OpenAiShapes {

    private static final char[] ID_CHARACTERS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private OpenAiShapes() {}

    /** A request's body as a JSON object; refused as {@code invalid_body}, saying it is not {@code what}, otherwise. */
    static ObjectNode requestBody(ObjectMapper json, Buffer body, String what) {
        if (body == null || body.length() == 0) {
            throw Refusal.invalid("A JSON body is required", "invalid_body");
        }
        JsonNode read;
        try {
            read = json.readTree(body.getBytes());
        } catch (JsonProcessingException malformed) {
            throw notA(what, malformed);
        } catch (IOException unreadable) {
            throw Refusal.invalid("The body could not be read", "invalid_body");
        }
        if (!(read instanceof ObjectNode request)) {
            throw Refusal.invalid("The body must be a JSON object", "invalid_body");
        }
        return request;
    }

    /** The body is JSON but not the request it should be. */
    static Refusal notA(String what, JsonProcessingException malformed) {
        return Refusal.invalid("The body is not " + what + ": " + malformed.getOriginalMessage(), "invalid_body");
    }

    /** The messages as turns, for models that do not speak OpenAI; a tool's result reads as the user's (such models never get one). */
    static List<ModelRequest.Turn> turns(List<ChatCompletions.InputMessage> messages) {
        return messages.stream()
                .map(message -> new ModelRequest.Turn(
                        switch (message.role().toLowerCase(Locale.ROOT)) {
                            case "system", "developer" -> ModelRequest.Role.SYSTEM;
                            case "user", "tool" -> ModelRequest.Role.USER;
                            case "assistant" -> ModelRequest.Role.ASSISTANT;
                            default ->
                                throw Refusal.invalid(
                                        "Unsupported message role '" + message.role() + "'", "invalid_role");
                        },
                        message.text()))
                .toList();
    }

    static String lastUser(List<ChatCompletions.InputMessage> messages) {
        return Stream.iterate(messages.size() - 1, i -> i >= 0, i -> i - 1)
                .map(messages::get)
                .filter(message -> "user".equalsIgnoreCase(message.role()))
                .map(ChatCompletions.InputMessage::text)
                .findFirst()
                .orElse("");
    }

    static ChatCompletions.Completion completion(String id, long created, String model, ModelService.Answer answer) {
        return new ChatCompletions.Completion(
                id,
                "chat.completion",
                created,
                model,
                List.of(new ChatCompletions.Choice(
                        0,
                        new ChatCompletions.Message("assistant", answer.reply().text()),
                        null,
                        finishReason(answer.reply()))),
                usage(answer.usage()));
    }
    /** OpenAI's finish reasons: "length" tells the client the answer stopped at its token limit. */
    static String finishReason(ModelReply reply) {
        return reply.cutShort() ? "length" : "stop";
    }

    static ChatCompletions.Completion chunk(
            String id, long created, String model, ChatCompletions.Delta delta, String finish) {
        return chunk(id, created, model, 0, delta, finish);
    }

    static ChatCompletions.Completion chunk(
            String id, long created, String model, int choice, ChatCompletions.Delta delta, String finish) {
        return new ChatCompletions.Completion(
                id,
                "chat.completion.chunk",
                created,
                model,
                List.of(new ChatCompletions.Choice(choice, null, delta, finish)),
                null);
    }

    static ChatCompletions.Usage usage(ModelService.Usage usage) {
        return new ChatCompletions.Usage(
                usage.inputTokensOrZero(), usage.outputTokensOrZero(), (int) usage.totalTokens());
    }
    /** OpenAI's id shape ({@code chatcmpl-} and 24 letters or digits); unique enough to tell a client's calls apart, cheaper than a UUID. */
    static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARACTERS[random.nextInt(ID_CHARACTERS.length)];
        }
        return new String(id);
    }
}
