package io.switchboard.knowledge;

import static io.switchboard.testing.BenchApp.secondsSince;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Retrieval latency and ingestion throughput of the knowledge index, each printed as a ratio to
 * a baseline measured in the same run: retrieval against embedding the question alone (the part
 * no index can avoid), ingestion against embedding each passage once. Run with bench/knowledge.sh.
 */
public final class KnowledgeBenchmark {

    private static final int QUERIES = 1000;
    private static final int WARM_UP_QUERIES = 200;
    private static final int INGESTED_PASSAGES = 1200;
    /** Passages embedded and indexed once before measuring, so class loading and compilation are not counted. */
    private static final int WARM_UP_PASSAGES = 200;

    private KnowledgeBenchmark() {}

    public static void main(String[] args) {
        Path articlesDirectory = Path.of(args.length > 0 ? args[0] : "tenants-config/demo/knowledge");
        List<ArticleDefinition> articles = ArticleFiles.read(articlesDirectory, new ArrayList<>());
        List<Chunker.Piece> pieces = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (ArticleDefinition article : articles) {
            for (Chunker.Piece piece : Chunker.chunk(article.title(), article.body())) {
                pieces.add(piece);
                titles.add(article.title());
            }
        }
        Embedder embedder = new Embedder();
        embedder.embed("warm up the model");
        List<String> questions = List.of(
                "how do I cancel my booking",
                "when do hosts get paid",
                "my payout is late",
                "can I bring my dog",
                "the lockbox code does not work",
                "how do I reset my password",
                "a guest damaged my sofa",
                "forgot my pasword",
                "what are the service fees",
                "can I leave a review later",
                "is there a monthly discount");

        System.out.printf(
                "machine: %d cores, Java %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        ingestion(embedder, pieces, titles);
        for (int size : new int[] {1_000, 10_000}) {
            retrieval(embedder, pieces, titles, questions, size);
        }
    }

    private static void ingestion(Embedder embedder, List<Chunker.Piece> pieces, List<String> titles) {
        KnowledgeIndex index = new KnowledgeIndex();
        ingest(embedder, index, pieces, titles, WARM_UP_PASSAGES);
        List<String> texts = texts(pieces, INGESTED_PASSAGES);
        long baselineStart = System.nanoTime();
        embedInBatches(embedder, texts);
        double baseline = INGESTED_PASSAGES / secondsSince(baselineStart);

        long start = System.nanoTime();
        ingest(embedder, index, pieces, titles, INGESTED_PASSAGES);
        double ingested = INGESTED_PASSAGES / secondsSince(start);
        System.out.printf(
                "ingestion of %d passages: %.0f passages/s (embedding + index, no database write) vs %.0f passages/s"
                        + " embedding alone: ratio %.2f%n",
                INGESTED_PASSAGES, ingested, baseline, ingested / baseline);
    }

    /** Embeds and indexes {@code count} passages as one new article of a new tenant. */
    private static void ingest(
            Embedder embedder, KnowledgeIndex index, List<Chunker.Piece> pieces, List<String> titles, int count) {
        List<String> texts = texts(pieces, count);
        List<float[]> vectors = embedInBatches(embedder, texts);
        UUID article = UUID.randomUUID();
        List<KnowledgeIndex.Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Chunker.Piece piece = pieces.get(i % pieces.size());
            entries.add(new KnowledgeIndex.Entry(
                    UUID.randomUUID(),
                    article,
                    titles.get(i % pieces.size()),
                    null,
                    "en",
                    piece.heading(),
                    texts.get(i),
                    vectors.get(i)));
        }
        index.replace(UUID.randomUUID(), List.of(), entries);
    }

    /** The demo passages, repeated and numbered so that none is embedded twice with the same text. */
    private static List<String> texts(List<Chunker.Piece> pieces, int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add(pieces.get(i % pieces.size()).text() + " #" + i);
        }
        return texts;
    }

    private static List<float[]> embedInBatches(Embedder embedder, List<String> texts) {
        List<float[]> vectors = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += 32) {
            vectors.addAll(embedder.embedAll(texts.subList(from, Math.min(from + 32, texts.size()))));
        }
        return vectors;
    }

    /** {@code size} passages for the measured tenant plus as many for a neighbour tenant in the same index. */
    private static void retrieval(
            Embedder embedder, List<Chunker.Piece> pieces, List<String> titles, List<String> questions, int size) {
        List<float[]> real =
                embedder.embedAll(pieces.stream().map(Chunker.Piece::text).toList());
        Random random = new Random(42);
        KnowledgeIndex index = new KnowledgeIndex();
        UUID tenant = UUID.randomUUID();
        long buildStart = System.nanoTime();
        for (UUID owner : List.of(tenant, UUID.randomUUID())) {
            List<UUID> articleIds = IntStream.range(0, size / 10 + 1)
                    .mapToObj(i -> UUID.randomUUID())
                    .toList();
            List<KnowledgeIndex.Entry> entries = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int source = i % pieces.size();
                // Passages come in articles of ten, as in a real help centre, so that article centroids exist.
                entries.add(new KnowledgeIndex.Entry(
                        UUID.randomUUID(),
                        articleIds.get(i / 10),
                        titles.get(source),
                        null,
                        "en",
                        pieces.get(source).heading(),
                        pieces.get(source).text(),
                        jitter(real.get(source), random)));
            }
            index.replace(owner, List.of(), entries);
        }
        double buildMillis = secondsSince(buildStart) * 1000 / 2;

        // Steady state, not the first queries' class loading and compilation.
        // The warm-up takes the measured path, so none of it is compiled while being measured.
        for (int i = 0; i < WARM_UP_QUERIES; i++) {
            String question = questions.get(i % questions.size());
            String corrected = index.correctSpelling(tenant, question, embedder::knowsWord);
            index.search(tenant, corrected, embedder.embed(corrected), 30);
        }
        long[] embedOnly = new long[QUERIES];
        long[] full = new long[QUERIES];
        long[] spelling = new long[QUERIES];
        long[] search = new long[QUERIES];
        for (int i = 0; i < QUERIES; i++) {
            String question = questions.get(i % questions.size()) + " " + (i % 7);
            long start = System.nanoTime();
            embedder.embed(question);
            embedOnly[i] = System.nanoTime() - start;
            start = System.nanoTime();
            String corrected = index.correctSpelling(tenant, question, embedder::knowsWord);
            long correctedAt = System.nanoTime();
            float[] vector = embedder.embed(corrected);
            long embeddedAt = System.nanoTime();
            index.search(tenant, corrected, vector, 30);
            long end = System.nanoTime();
            full[i] = end - start;
            spelling[i] = correctedAt - start;
            search[i] = end - embeddedAt;
        }
        System.out.printf(
                "retrieval at %,d passages per tenant (index built in %.0f ms): p50 %.2f ms, p99 %.2f ms;"
                        + " embedding the question alone p50 %.2f ms, p99 %.2f ms: ratio p50 %.2f, p99 %.2f"
                        + " (spelling p50 %.2f / p99 %.2f ms, search p50 %.2f / p99 %.2f ms)%n",
                size,
                buildMillis,
                percentile(full, 50),
                percentile(full, 99),
                percentile(embedOnly, 50),
                percentile(embedOnly, 99),
                percentile(full, 50) / percentile(embedOnly, 50),
                percentile(full, 99) / percentile(embedOnly, 99),
                percentile(spelling, 50),
                percentile(spelling, 99),
                percentile(search, 50),
                percentile(search, 99));
    }

    private static float[] jitter(float[] vector, Random random) {
        float[] copy = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            copy[i] = vector[i] + (float) (random.nextGaussian() * 0.02);
        }
        return Embedder.normalise(copy);
    }

    private static double percentile(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)] / 1e6;
    }
}
