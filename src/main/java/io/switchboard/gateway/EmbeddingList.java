package io.switchboard.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI's embeddings answer, {@code {object: "list", data: [{object: "embedding", index,
 * embedding}], model, usage: {prompt_tokens, total_tokens}}}, written straight from the vectors
 * (no tree of 384 nodes per vector). A vector is a JSON array of floats, or with {@code base64}
 * its little-endian float32 bytes in base64, as OpenAI encodes them and its clients decode them.
 */
final class EmbeddingList {

    private static final JsonFactory JSON = new JsonFactory();

    private EmbeddingList() {}

    static byte[] write(String model, List<float[]> vectors, int promptTokens, boolean base64) {
        ByteArrayBuilder out = new ByteArrayBuilder(vectors.size() * (base64 ? 2_100 : 4_500) + 128);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            for (int i = 0; i < vectors.size(); i++) {
                json.writeStartObject();
                json.writeStringField("object", "embedding");
                json.writeNumberField("index", i);
                json.writeFieldName("embedding");
                if (base64) {
                    json.writeString(base64(vectors.get(i)));
                } else {
                    json.writeStartArray();
                    for (float value : vectors.get(i)) {
                        json.writeNumber(value);
                    }
                    json.writeEndArray();
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField("model", model);
            json.writeObjectFieldStart("usage");
            json.writeNumberField("prompt_tokens", promptTokens);
            json.writeNumberField("total_tokens", promptTokens);
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return out.toByteArray();
    }

    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
