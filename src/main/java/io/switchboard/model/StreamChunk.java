package io.switchboard.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one chunk of an OpenAI-style event stream says: a text delta, a finish reason, the token
 * usage (a last chunk carries it when asked for), whether it holds tool calls. Read with Jackson's streaming parser straight
 * from the line's bytes, taking only these fields: a proxy reads one chunk per token, and building
 * a tree of every field of every chunk was a tenth of what {@code /v1} spent per call. A whole
 * (non-streamed) completion reads the same way: its choice holds a message where a chunk's holds a delta.
 * Tool calls come as fragments: the first of a call carries its index, id and function name, later
 * ones pieces of its arguments by index (vLLM, SGLang); a whole message holds each call whole.
 */
record StreamChunk(
        String content,
        boolean toolCalls,
        String finishReason,
        boolean hasUsage,
        Integer promptTokens,
        Integer completionTokens,
        List<ToolCallFragment> toolCallFragments) {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * A piece of one tool call, by the call's index among the message's calls: id and name are
     * null in fragments after the first, arguments a piece of the JSON (or all of it, whole).
     */
    record ToolCallFragment(int index, String id, String name, String arguments) {}

    /** Reads {@code length} bytes from {@code offset}: one JSON object; throws when they are not one. */
    static StreamChunk read(byte[] bytes, int offset, int length) throws IOException {
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("A stream chunk is not a JSON object");
            }
            Reading chunk = new Reading();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("choices".equals(field) && value == JsonToken.START_ARRAY) {
                    chunk.firstChoice(parser);
                } else if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
                    chunk.usage(parser);
                } else {
                    parser.skipChildren();
                }
            }
            // Anything after the object's end (or a truncated object) makes the chunk unreadable.
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new IOException("A stream chunk is not one complete JSON object");
            }
            return new StreamChunk(
                    chunk.content,
                    chunk.toolCalls,
                    chunk.finishReason,
                    chunk.hasUsage,
                    chunk.promptTokens,
                    chunk.completionTokens,
                    chunk.toolCallFragments);
        }
    }

    /** The fields found so far. */
    private static final class Reading {
        String content;
        boolean toolCalls;
        String finishReason;
        boolean hasUsage;
        Integer promptTokens;
        Integer completionTokens;
        List<ToolCallFragment> toolCallFragments = List.of();

        /** The first choice's delta and finish reason; other choices (n > 1) are not asked for, and skipped. */
        void firstChoice(JsonParser parser) throws IOException {
            boolean first = true;
            for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
                if (!first || element != JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    continue;
                }
                first = false;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if ("finish_reason".equals(field)) {
                        finishReason = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    } else if (("delta".equals(field) || "message".equals(field)) && value == JsonToken.START_OBJECT) {
                        delta(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        }

        /** The text of a choice's delta or message, and its tool calls; its role and whatever else are skipped. */
        private void delta(JsonParser parser) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("content".equals(field) && value == JsonToken.VALUE_STRING) {
                    content = parser.getText();
                } else if ("tool_calls".equals(field) && value == JsonToken.START_ARRAY) {
                    int position = 0;
                    for (JsonToken call = parser.nextToken(); call != JsonToken.END_ARRAY; call = parser.nextToken()) {
                        toolCalls = true;
                        if (call == JsonToken.START_OBJECT) {
                            toolCall(parser, position);
                        } else {
                            parser.skipChildren();
                        }
                        position++;
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }

        /** One call or fragment; a whole message's calls may omit the index, which is then their position. */
        private void toolCall(JsonParser parser, int position) throws IOException {
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
            if (toolCallFragments.isEmpty()) {
                toolCallFragments = new ArrayList<>(1);
            }
            toolCallFragments.add(new ToolCallFragment(index, id, name, arguments));
        }

        void usage(JsonParser parser) throws IOException {
            hasUsage = true;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                Integer count =
                        value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT
                                ? parser.getIntValue()
                                : null;
                if ("prompt_tokens".equals(field)) {
                    promptTokens = count;
                } else if ("completion_tokens".equals(field)) {
                    completionTokens = count;
                } else {
                    parser.skipChildren();
                }
            }
        }
    }
}
