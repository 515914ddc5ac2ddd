package io.switchboard.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.switchboard.model.ModelRequest;
import java.io.IOException;
import java.util.Arrays;

/**
 * A model's chunk or completion as the client sees it: everything the server sent, token for
 * token, but the top-level {@code model}, which names the model the client asked for rather than
 * the upstream one the policy chose. A chat chunk is spliced where the model layer found its
 * model; another answer (embeddings) is copied with Jackson's streaming parser and generator.
 */
final class ModelRename {

    private static final JsonFactory JSON = new JsonFactory();

    private ModelRename() {}

    /** {@code model} as a JSON string, for {@link #splice}. */
    static byte[] quoted(String model) {
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(model);
        byte[] quoted = new byte[escaped.length + 2];
        quoted[0] = '"';
        System.arraycopy(escaped, 0, quoted, 1, escaped.length);
        quoted[quoted.length - 1] = '"';
        return quoted;
    }

    /**
     * The chunk with its top-level {@code model} value replaced by {@code quotedModel}: the model
     * layer read the chunk already and says where the value is, so nothing is parsed again. A
     * chunk that names no model, or already the one asked for, comes back as it is.
     */
    static byte[] splice(ModelRequest.Chunk chunk, byte[] quotedModel) {
        byte[] json = chunk.json();
        int start = chunk.modelStart();
        int end = chunk.modelEnd();
        if (start < 0 || Arrays.equals(json, start, end, quotedModel, 0, quotedModel.length)) {
            return json;
        }
        byte[] renamed = new byte[json.length - (end - start) + quotedModel.length];
        System.arraycopy(json, 0, renamed, 0, start);
        System.arraycopy(quotedModel, 0, renamed, start, quotedModel.length);
        System.arraycopy(json, end, renamed, start + quotedModel.length, json.length - end);
        return renamed;
    }

    /** The JSON object with its top-level {@code model} set to {@code model}; other JSON comes back unchanged. */
    static byte[] rename(byte[] json, String model) {
        ByteArrayBuilder out = new ByteArrayBuilder(json.length + 32);
        try (JsonParser parser = JSON.createParser(json);
                JsonGenerator generator = JSON.createGenerator(out)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return json;
            }
            generator.writeStartObject();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if ("model".equals(field)) {
                    generator.writeStringField("model", model);
                    parser.skipChildren();
                } else {
                    generator.writeFieldName(field);
                    generator.copyCurrentStructure(parser);
                }
            }
            generator.writeEndObject();
        } catch (IOException unreadable) {
            // The model layer read it already: what it could read, the client gets as it came.
            return json;
        }
        return out.toByteArray();
    }
}
