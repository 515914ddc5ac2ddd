package io.switchboard.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;

/**
 * A model's chunk or completion as the client sees it: everything the server sent, token for
 * token, but the top-level {@code model}, which names the model the client asked for rather than
 * the upstream one the policy chose. Copied with Jackson's streaming parser and generator: no tree
 * is built for each chunk of a stream.
 */
final class ModelRename {

    private static final JsonFactory JSON = new JsonFactory();

    private ModelRename() {}

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
