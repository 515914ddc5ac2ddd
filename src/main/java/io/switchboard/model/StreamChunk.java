package io.switchboard.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one chunk of an OpenAI-style event stream says: each choice's text delta, finish reason and
 * whether it holds tool calls, the token usage (a last chunk carries it when asked for), and where
 * its top-level {@code model} value is, so that a proxy can rename the model by splicing bytes. Read
 * with Jackson's streaming parser straight from the line's bytes, taking only these fields: a proxy
 * reads one chunk per token, and building a tree of every field of every chunk was a tenth of what
 * {@code /v1} spent per call. A whole (non-streamed) completion reads the same way: its choices hold
 * a message where a chunk's hold a delta. Tool calls come as fragments: the first of a call carries
 * its index, id and function name, later ones pieces of its arguments by index (vLLM, SGLang); a
 * whole message holds each call whole.
 *
 * @param modelStart where the top-level {@code model} value starts, counted from the offset read; -1 when there is none
 * @param modelEnd where it ends (exclusive); -1 when there is none
 */
record StreamChunk(
        List<Choice> choices,
        boolean hasUsage,
        Integer promptTokens,
        Integer completionTokens,
        int modelStart,
        int modelEnd) {

    /** One choice of the chunk: {@code index} as the server numbered it (n > 1 asks for several). */
    record Choice(
            int index,
            String content,
            boolean toolCalls,
            String finishReason,
            List<ToolCallFragment> toolCallFragments) {}

    /**
     * A piece of one tool call, by the call's index among the message's calls: id and name are
     * null in fragments after the first, arguments a piece of the JSON (or all of it, whole).
     */
    record ToolCallFragment(int index, String id, String name, String arguments) {}

    private static final JsonFactory JSON = new JsonFactory();

    /** The first choice's text, or null. */
    String content() {
        return choices.isEmpty() ? null : choices.getFirst().content();
    }

    /** The first choice's finish reason, or null. */
    String finishReason() {
        return choices.isEmpty() ? null : choices.getFirst().finishReason();
    }

    /** The first choice's tool call fragments: the platform's own turns ask for one choice. */
    List<ToolCallFragment> toolCallFragments() {
        return choices.isEmpty() ? List.of() : choices.getFirst().toolCallFragments();
    }

    /** Whether any choice holds tool calls. */
    boolean toolCalls() {
        for (Choice choice : choices) {
            if (choice.toolCalls()) {
                return true;
            }
        }
        return false;
    }

    /** Reads {@code length} bytes from {@code offset}: one JSON object; throws when they are not one. */
    static StreamChunk read(byte[] bytes, int offset, int length) throws IOException {
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("A stream chunk is not a JSON object");
            }
            List<Choice> choices = List.of();
            boolean hasUsage = false;
            Integer[] usage = new Integer[2];
            int modelStart = -1;
            int modelEnd = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("choices".equals(field) && value == JsonToken.START_ARRAY) {
                    choices = choices(parser);
                } else if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
                    hasUsage = true;
                    usage(parser, usage);
                } else if ("model".equals(field)) {
                    // Locations count from the offset the parser was given.
                    modelStart = (int) parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    parser.finishToken();
                    modelEnd = (int) parser.currentLocation().getByteOffset();
                } else {
                    parser.skipChildren();
                }
            }
            // Anything after the object's end (or a truncated object) makes the chunk unreadable.
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new IOException("A stream chunk is not one complete JSON object");
            }
            return new StreamChunk(choices, hasUsage, usage[0], usage[1], modelStart, modelEnd);
        }
    }

    /** Every choice's delta (or message) and finish reason; a stream usually sends one choice a chunk. */
    private static List<Choice> choices(JsonParser parser) throws IOException {
        List<Choice> choices = null;
        Choice first = null;
        int position = 0;
        for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
            if (element != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            Choice choice = choice(parser, position++);
            if (first == null) {
                first = choice;
            } else {
                if (choices == null) {
                    choices = new ArrayList<>();
                    choices.add(first);
                }
                choices.add(choice);
            }
        }
        return choices != null ? choices : first == null ? List.of() : List.of(first);
    }

    /** One choice; a server that numbers none has its choices numbered in order. */
    private static Choice choice(JsonParser parser, int position) throws IOException {
        int index = position;
        String finishReason = null;
        String[] content = new String[1];
        List<ToolCallFragment> fragments = new ArrayList<>(0);
        boolean toolCalls = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("finish_reason".equals(field)) {
                finishReason = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            } else if ("index".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                index = parser.getIntValue();
            } else if (("delta".equals(field) || "message".equals(field)) && value == JsonToken.START_OBJECT) {
                toolCalls |= delta(parser, content, fragments);
            } else {
                parser.skipChildren();
            }
        }
        return new Choice(index, content[0], toolCalls, finishReason, fragments.isEmpty() ? List.of() : fragments);
    }

    /**
     * Keeps the text of a delta or message and its tool calls; answers whether it holds any. Its
     * role and whatever else are skipped.
     */
    private static boolean delta(JsonParser parser, String[] content, List<ToolCallFragment> fragments)
            throws IOException {
        boolean toolCalls = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("content".equals(field) && value == JsonToken.VALUE_STRING) {
                content[0] = parser.getText();
            } else if ("tool_calls".equals(field) && value == JsonToken.START_ARRAY) {
                int position = 0;
                for (JsonToken call = parser.nextToken(); call != JsonToken.END_ARRAY; call = parser.nextToken()) {
                    toolCalls = true;
                    if (call == JsonToken.START_OBJECT) {
                        fragments.add(toolCall(parser, position));
                    } else {
                        parser.skipChildren();
                    }
                    position++;
                }
            } else {
                parser.skipChildren();
            }
        }
        return toolCalls;
    }

    /** One call or fragment; a whole message's calls may omit the index, which is then their position. */
    private static ToolCallFragment toolCall(JsonParser parser, int position) throws IOException {
        int index = position;
        String id = null;
        String name = null;
        String arguments = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("index".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                index = parser.getIntValue();
            } else if ("id".equals(field) && value == JsonToken.VALUE_STRING) {
                id = parser.getText();
            } else if ("function".equals(field) && value == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String part = parser.currentName();
                    JsonToken text = parser.nextToken();
                    if ("name".equals(part) && text == JsonToken.VALUE_STRING) {
                        name = parser.getText();
                    } else if ("arguments".equals(part) && text == JsonToken.VALUE_STRING) {
                        arguments = parser.getText();
                    } else {
                        parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
        return new ToolCallFragment(index, id, name, arguments);
    }

    private static void usage(JsonParser parser, Integer[] counts) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            Integer count = value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT
                    ? parser.getIntValue()
                    : null;
            if ("prompt_tokens".equals(field)) {
                counts[0] = count;
            } else if ("completion_tokens".equals(field)) {
                counts[1] = count;
            } else {
                parser.skipChildren();
            }
        }
    }
}
