package io.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a tiny GGUF model with random weights (LLaMA architecture, two layers, a SentencePiece
 * vocabulary of bytes, letters and a few words, F32 tensors, about 0.2 MB), so tests run the real
 * llama.cpp loading and generation code without downloading a model. It streams nonsense, quickly:
 * letters and words, never a byte token (which would be garbled text) nor end-of-sequence, so every
 * answer runs to the output limit.
 */
public final class TinyGguf {

    private static final int EMBEDDING = 32;
    private static final int HEADS = 4;
    private static final int LAYERS = 2;
    private static final int FEED_FORWARD = 64;
    private static final int CONTEXT = 8192;
    private static final int ALIGNMENT = 32;

    // GGUF metadata value types and token types, as llama.cpp's gguf.h and llama-vocab.h number them.
    private static final int UINT32 = 4;
    private static final int INT32 = 5;
    private static final int FLOAT32 = 6;
    private static final int STRING = 8;
    private static final int ARRAY = 9;
    private static final int TENSOR_F32 = 0;
    private static final int TOKEN_NORMAL = 1;
    private static final int TOKEN_UNKNOWN = 2;
    private static final int TOKEN_CONTROL = 3;
    private static final int TOKEN_BYTE = 6;

    private TinyGguf() {}

    public static void write(Path file) throws IOException {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Integer> types = new ArrayList<>(List.of(TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_CONTROL));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(TOKEN_BYTE);
        }
        for (char letter = 'a'; letter <= 'z'; letter++) {
            tokens.add(String.valueOf(letter));
            tokens.add("\u2581" + letter);
            types.add(TOKEN_NORMAL);
            types.add(TOKEN_NORMAL);
        }
        for (String word : List.of(
                "\u2581the",
                "\u2581to",
                "\u2581you",
                "\u2581your",
                "\u2581booking",
                "\u2581cancel",
                "\u2581refund",
                "\u2581help",
                "\u2581host",
                "\u2581guest",
                "\u2581",
                ".",
                ",",
                "?",
                "!")) {
            tokens.add(word);
            types.add(TOKEN_NORMAL);
        }

        Metadata metadata = new Metadata();
        metadata.string("general.architecture", "llama");
        metadata.string("general.name", "switchboard-tiny-test");
        metadata.uint32("llama.context_length", CONTEXT);
        metadata.uint32("llama.embedding_length", EMBEDDING);
        metadata.uint32("llama.block_count", LAYERS);
        metadata.uint32("llama.feed_forward_length", FEED_FORWARD);
        metadata.uint32("llama.attention.head_count", HEADS);
        metadata.uint32("llama.attention.head_count_kv", HEADS);
        metadata.uint32("llama.rope.dimension_count", EMBEDDING / HEADS);
        metadata.float32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        metadata.string("tokenizer.ggml.model", "llama");
        metadata.array("tokenizer.ggml.tokens", STRING, tokens.size(), i -> metadata.out.string(tokens.get(i)));
        metadata.array(
                "tokenizer.ggml.scores",
                FLOAT32,
                tokens.size(),
                i -> metadata.out.float32(types.get(i) == TOKEN_NORMAL ? -i : 0f));
        metadata.array("tokenizer.ggml.token_type", INT32, tokens.size(), i -> metadata.out.uint32(types.get(i)));
        metadata.uint32("tokenizer.ggml.bos_token_id", 1);
        metadata.uint32("tokenizer.ggml.eos_token_id", 2);
        metadata.uint32("tokenizer.ggml.unknown_token_id", 0);

        Map<String, long[]> tensors = new LinkedHashMap<>();
        tensors.put("token_embd.weight", new long[] {EMBEDDING, tokens.size()});
        tensors.put("output_norm.weight", new long[] {EMBEDDING});
        tensors.put("output.weight", new long[] {EMBEDDING, tokens.size()});
        for (int layer = 0; layer < LAYERS; layer++) {
            String block = "blk." + layer + ".";
            tensors.put(block + "attn_norm.weight", new long[] {EMBEDDING});
            for (String projection : List.of("attn_q", "attn_k", "attn_v", "attn_output")) {
                tensors.put(block + projection + ".weight", new long[] {EMBEDDING, EMBEDDING});
            }
            tensors.put(block + "ffn_norm.weight", new long[] {EMBEDDING});
            tensors.put(block + "ffn_gate.weight", new long[] {EMBEDDING, FEED_FORWARD});
            tensors.put(block + "ffn_up.weight", new long[] {EMBEDDING, FEED_FORWARD});
            tensors.put(block + "ffn_down.weight", new long[] {FEED_FORWARD, EMBEDDING});
        }

        LittleEndian out = new LittleEndian();
        out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        out.uint32(3);
        out.uint64(tensors.size());
        out.uint64(metadata.count);
        out.bytes(metadata.out.buffer.toByteArray());
        long offset = 0;
        for (Map.Entry<String, long[]> tensor : tensors.entrySet()) {
            out.string(tensor.getKey());
            out.uint32(tensor.getValue().length);
            for (long dimension : tensor.getValue()) {
                out.uint64(dimension);
            }
            out.uint32(TENSOR_F32);
            out.uint64(offset);
            offset = aligned(offset + Float.BYTES * elements(tensor.getValue()));
        }
        out.pad();
        Random random = new Random(42);
        for (Map.Entry<String, long[]> tensor : tensors.entrySet()) {
            long[] shape = tensor.getValue();
            String name = tensor.getKey();
            for (long i = 0; i < elements(shape); i++) {
                long row = i / shape[0];
                boolean steering = i % shape[0] == 0;
                float weight;
                if (shape.length == 1) {
                    weight = 1f;
                } else if (name.equals("token_embd.weight")) {
                    // Every token carries a large first component that the small layers below never outweigh...
                    weight = steering ? 4f : (float) random.nextGaussian() * 0.5f;
                } else if (name.equals("output.weight")) {
                    // ...so this sign decides: ordinary tokens score high, bytes and control tokens far below.
                    weight = steering
                            ? (types.get((int) row) == TOKEN_NORMAL ? 1.5f : -1.5f)
                            : (float) random.nextGaussian() * 0.5f;
                } else {
                    weight = (float) random.nextGaussian() * 0.05f;
                }
                out.float32(weight);
            }
            out.pad();
        }
        Files.write(file, out.buffer.toByteArray());
    }

    private static long elements(long[] shape) {
        long count = 1;
        for (long dimension : shape) {
            count *= dimension;
        }
        return count;
    }

    private static long aligned(long offset) {
        return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Key-value pairs of the header, counted as they are written. */
    private static final class Metadata {
        final LittleEndian out = new LittleEndian();
        long count;

        void string(String key, String value) {
            entry(key, STRING);
            out.string(value);
        }

        void uint32(String key, int value) {
            entry(key, UINT32);
            out.uint32(value);
        }

        void float32(String key, float value) {
            entry(key, FLOAT32);
            out.float32(value);
        }

        void array(String key, int elementType, int size, java.util.function.IntConsumer element) {
            entry(key, ARRAY);
            out.uint32(elementType);
            out.uint64(size);
            for (int i = 0; i < size; i++) {
                element.accept(i);
            }
        }

        private void entry(String key, int type) {
            count++;
            out.string(key);
            out.uint32(type);
        }
    }

    private static final class LittleEndian {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);

        void bytes(byte[] bytes) {
            buffer.writeBytes(bytes);
        }

        void uint32(int value) {
            buffer.write(scratch.clear().putInt(value).array(), 0, Integer.BYTES);
        }

        void uint64(long value) {
            buffer.write(scratch.clear().putLong(value).array(), 0, Long.BYTES);
        }

        void float32(float value) {
            buffer.write(scratch.clear().putFloat(value).array(), 0, Float.BYTES);
        }

        void string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            uint64(utf8.length);
            bytes(utf8);
        }

        void pad() {
            while (buffer.size() % ALIGNMENT != 0) {
                buffer.write(0);
            }
        }
    }
}
