package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.model.Tokens;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an OpenAI embeddings request: {@code model}, {@code input} (a string, strings, one token
 * array or token arrays), {@code encoding_format}, {@code dimensions} and {@code user}, within
 * OpenAI's own bounds (2,048 inputs, 8,192 tokens each, 300,000 in all, counted as
 * {@link Tokens#estimate} counts). Whatever the caller got wrong is a {@link Refusal} naming the
 * parameter, as OpenAI's API names it.
 */
@Singleton
class EmbeddingRequests {

    static final int MAX_INPUTS = 2048;
    static final int MAX_INPUT_TOKENS = 8192;
    static final int MAX_REQUEST_TOKENS = 300_000;
    private static final int MAX_MODEL_CHARS = 300;

    /**
     * A valid request: the body as it came, for a model that speaks OpenAI; the texts to embed
     * (null when the input is token ids); how many inputs; and what the answer should look like.
     */
    record Parsed(
            ObjectNode body,
            String model,
            List<String> texts,
            int inputs,
            boolean base64,
            Integer dimensions,
            int estimatedTokens) {}

    private final ObjectMapper json;

    EmbeddingRequests(ObjectMapper json) {
        this.json = json;
    }

    Parsed parse(Buffer body) {
        ObjectNode request = OpenAiShapes.requestBody(json, body, "an embeddings request");
        String model = model(request.get("model"));
        Inputs inputs = inputs(request.get("input"));
        JsonNode user = request.get("user");
        if (user != null && !user.isNull() && !user.isTextual()) {
            throw invalid("user", "'user' must be a string");
        }
        return new Parsed(
                request,
                model,
                inputs.texts(),
                inputs.count(),
                base64(request.get("encoding_format")),
                dimensions(request.get("dimensions")),
                inputs.tokens());
    }

    private static String model(JsonNode model) {
        if (model == null || model.isNull()) {
            throw missing("model", "name the model to embed with (GET /v1/models lists them)");
        }
        if (!model.isTextual()
                || model.textValue().isBlank()
                || model.textValue().length() > MAX_MODEL_CHARS) {
            throw invalid("model", "'model' must be a model name of at most " + MAX_MODEL_CHARS + " characters");
        }
        return model.textValue();
    }

    /** The texts (or token arrays) and what they amount to. */
    private record Inputs(List<String> texts, int count, int tokens) {}

    private static Inputs inputs(JsonNode input) {
        if (input == null || input.isNull()) {
            throw missing("input", "give the text to embed: a string or an array of strings");
        }
        if (input.isTextual()) {
            return texts(List.of(input.textValue()));
        }
        if (!input.isArray() || input.isEmpty()) {
            throw invalid(
                    "input", "'input' must be a non-empty string or a non-empty array of strings or token arrays");
        }
        if (input.size() > MAX_INPUTS) {
            throw invalid("input", "'input' holds " + input.size() + " items; at most " + MAX_INPUTS + " per request");
        }
        JsonNode first = input.get(0);
        if (first.isTextual()) {
            List<String> texts = new ArrayList<>(input.size());
            for (int i = 0; i < input.size(); i++) {
                if (!input.get(i).isTextual()) {
                    throw invalid("input", "'input[" + i + "]' must be a string, like the items before it");
                }
                texts.add(input.get(i).textValue());
            }
            return texts(texts);
        }
        if (first.isIntegralNumber()) {
            return new Inputs(null, 1, checkedTokens(tokenCount(input, "input"), "input"));
        }
        int tokens = 0;
        for (int i = 0; i < input.size(); i++) {
            String name = "input[" + i + "]";
            if (!input.get(i).isArray()) {
                throw invalid("input", "'" + name + "' must be an array of token ids, like the items before it");
            }
            tokens += checkedTokens(tokenCount(input.get(i), name), name);
        }
        return new Inputs(null, input.size(), checkedTotal(tokens));
    }

    private static Inputs texts(List<String> texts) {
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            String name = texts.size() == 1 ? "input" : "input[" + i + "]";
            if (texts.get(i).isEmpty()) {
                throw invalid("input", "'" + name + "' is an empty string: every input must hold text");
            }
            tokens += checkedTokens(Tokens.estimate(texts.get(i)), name);
        }
        return new Inputs(List.copyOf(texts), texts.size(), checkedTotal(tokens));
    }

    private static int tokenCount(JsonNode tokens, String name) {
        if (tokens.isEmpty()) {
            throw invalid("input", "'" + name + "' is an empty token array: every input must hold tokens");
        }
        for (JsonNode token : tokens) {
            if (!token.isIntegralNumber() || !token.canConvertToInt() || token.intValue() < 0) {
                throw invalid("input", "'" + name + "' must hold only token ids (integers of at least 0)");
            }
        }
        return tokens.size();
    }

    private static int checkedTokens(int tokens, String name) {
        if (tokens > MAX_INPUT_TOKENS) {
            throw Refusal.invalid(
                    "'" + name + "' is about " + tokens + " tokens; an input may have at most " + MAX_INPUT_TOKENS,
                    "input",
                    "context_length_exceeded");
        }
        return tokens;
    }

    private static int checkedTotal(int tokens) {
        if (tokens > MAX_REQUEST_TOKENS) {
            throw Refusal.invalid(
                    "The inputs are about " + tokens + " tokens; a request may have at most " + MAX_REQUEST_TOKENS,
                    "input",
                    "max_tokens_per_request");
        }
        return tokens;
    }

    private static boolean base64(JsonNode format) {
        if (format == null || format.isNull()) {
            return false;
        }
        if (format.isTextual()
                && (format.textValue().equals("float") || format.textValue().equals("base64"))) {
            return format.textValue().equals("base64");
        }
        throw invalid("encoding_format", "'encoding_format' must be 'float' or 'base64'");
    }

    private static Integer dimensions(JsonNode dimensions) {
        if (dimensions == null || dimensions.isNull()) {
            return null;
        }
        if (!dimensions.isIntegralNumber() || !dimensions.canConvertToInt() || dimensions.intValue() < 1) {
            throw invalid("dimensions", "'dimensions' must be a whole number of at least 1");
        }
        return dimensions.intValue();
    }

    private static Refusal missing(String param, String hint) {
        return Refusal.invalid("'" + param + "' is required: " + hint, param, "missing_required_parameter");
    }

    private static Refusal invalid(String param, String message) {
        return Refusal.invalid(message, param, "invalid_value");
    }
}
