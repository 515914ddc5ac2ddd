package io.switchboard.knowledge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * all-MiniLM-L6-v2 (quantized ONNX), in-process: the weights ship inside the jar, so nothing is
 * downloaded at run time and no model server is needed. Vectors are unit length.
 */
@ApplicationScoped
public class Embedder {

    public static final int DIMENSIONS = 384;
    /** The model's name where a caller picks it (the OpenAI-compatible {@code /v1/embeddings}). */
    public static final String MODEL_NAME = "all-minilm-l6-v2";
    /** The one language the model was trained on: its vectors of other languages' texts tell topics apart far less well. */
    static final String LANGUAGE = "en";

    /** Unit vectors in the order of the texts, and the word pieces the model read to make them. */
    public record Embedded(List<float[]> vectors, int tokens) {}

    private volatile EmbeddingModel model;
    private volatile Set<String> wholeWords;

    public float[] embed(String text) {
        return normalise(model().embed(text).content().vector());
    }

    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        return model().embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(embedding -> normalise(embedding.vector()))
                .toList();
    }

    /** The texts' vectors and the tokens they took, for a caller that meters them. */
    public Embedded embedCounted(List<String> texts) {
        Response<List<Embedding>> embedded =
                model().embedAll(texts.stream().map(TextSegment::from).toList());
        Integer tokens =
                embedded.tokenUsage() == null ? null : embedded.tokenUsage().inputTokenCount();
        return new Embedded(
                embedded.content().stream()
                        .map(embedding -> normalise(embedding.vector()))
                        .toList(),
                tokens == null ? 0 : tokens);
    }

    /**
     * Whether the model knows the (lower-case) word as a whole, rather than as pieces: the
     * model's 30,000-entry vocabulary doubles as a list of common English words.
     */
    public boolean knowsWord(String word) {
        Set<String> words = wholeWords;
        if (words == null) {
            words = readWholeWords();
            wholeWords = words;
        }
        return words.contains(word);
    }

    private static Set<String> readWholeWords() {
        try (InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class
                .getClassLoader()
                .getResourceAsStream(MiniLmModel.TOKENIZER)) {
            Set<String> words = new HashSet<>();
            new ObjectMapper()
                    .readTree(in)
                    .path("model")
                    .path("vocab")
                    .fieldNames()
                    .forEachRemaining(piece -> {
                        if (!piece.startsWith("##") && !piece.startsWith("[")) {
                            words.add(piece);
                        }
                    });
            return Set.copyOf(words);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private EmbeddingModel model() {
        EmbeddingModel loaded = model;
        if (loaded == null) {
            synchronized (this) {
                if (model == null) {
                    model = MiniLmModel.load();
                }
                loaded = model;
            }
        }
        return loaded;
    }

    static float[] normalise(float[] vector) {
        double norm = 0;
        for (float value : vector) {
            norm += value * value;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            return vector;
        }
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / norm);
        }
        return unit;
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
