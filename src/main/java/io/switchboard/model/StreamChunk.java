package io.switchboard.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What one chunk of an OpenAI-style event stream says: a text delta, a finish reason, the token
 * usage (a last chunk carries it when asked for), whether it holds tool calls. Read with Jackson's streaming parser straight
 * from the line's bytes, taking only these fields: a proxy reads one chunk per token, and building
 * a tree of every field of every chunk was a tenth of what {@code /v1} spent per call. A whole
 * (non-streamed) completion reads the same way: its choice holds a message where a chunk's holds a delta.
 */
record StreamChunk(
        String content,
        boolean toolCalls,
        String finishReason,
        boolean hasUsage,
        Integer promptTokens,
        Integer completionTokens) {

    private static final JsonFactory JSON = new JsonFactory();

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
                    chunk.completionTokens);
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

        /** The text of a choice's delta or message, and whether it holds tool calls; its role and whatever else are skipped. */
        private void delta(JsonParser parser) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("content".equals(field) && value == JsonToken.VALUE_STRING) {
                    content = parser.getText();
                } else if ("tool_calls".equals(field) && value == JsonToken.START_ARRAY) {
                    for (JsonToken call = parser.nextToken(); call != JsonToken.END_ARRAY; call = parser.nextToken()) {
                        toolCalls = true;
                        parser.skipChildren();
                    }
                } else {
                    parser.skipChildren();
                }
            }
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
