package io.switchboard.knowledge;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.SingleInstanceLockFactory;

/**
 * The hybrid search index of every tenant's knowledge: BM25 over title, heading and text plus an
 * HNSW vector index over the passages' embeddings, fused by reciprocal rank into the candidate
 * passages. Every query carries the tenant as a filter clause — inside the BM25 query and as the
 * pre-filter of the vector search — so another tenant's passage is never even a candidate. Each
 * article also has a centroid (the mean of its passages' embeddings): what the article as a whole
 * is about, which ranks articles far better than their best passage alone. In memory; rebuilt from
 * the database at startup.
 */
@ApplicationScoped
public class KnowledgeIndex {

    /**
     * A passage found for a question: the cosine similarity of its embedding to the question's,
     * the question's similarity to its whole article, and its keyword match relative to the best
     * keyword match of the search (0 when the keywords did not find it).
     */
    public record Hit(
            String chunkId,
            String articleId,
            String title,
            String url,
            String language,
            String heading,
            String text,
            double similarity,
            double articleSimilarity,
            double keywordMatch) {}

    /** What the index needs of a passage: its content and the embedding of its text. */
    public record Entry(
            UUID chunkId,
            UUID articleId,
            String title,
            String url,
            String language,
            String heading,
            String text,
            float[] vector) {

        /** A stored passage of a stored article, as the index takes it. */
        static Entry of(KnowledgeChunk chunk, Article article) {
            return new Entry(
                    chunk.id,
                    chunk.articleId,
                    article.title,
                    article.url,
                    article.language,
                    chunk.heading,
                    chunk.text,
                    KnowledgeChunk.toVector(chunk.embedding));
        }
    }

    /** The usual reciprocal-rank-fusion constant: damps the influence of any single list's top ranks. */
    private static final int RRF_K = 60;
    /** Keyword matches count for less than meaning: customers rarely use the help centre's words. */
    private static final double KEYWORD_WEIGHT = 0.5;

    private static final int CANDIDATES = 20;

    private static final double MAX_SEGMENT_MB = 1024;
    /**
     * Room for a whole 10,000-passage knowledge base before it is written out as a segment (the
     * default 16 MB made two): every segment is searched on its own, so fewer make a faster search.
     */
    private static final double INDEXING_BUFFER_MB = 64;

    private final PassageDocuments documents = new PassageDocuments();
    /**
     * Each file in one buffer: searches clone their inputs many times, and a clone of a file kept
     * in many buffers (the default) duplicates every one of them, most of a search's garbage.
     */
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory(
            new SingleInstanceLockFactory(), ByteBuffersDataOutput::new, ByteBuffersDirectory.OUTPUT_AS_ONE_BUFFER);

    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final SpellingCorrector spelling = new SpellingCorrector();
    /** Per tenant: its indexed articles, to forget them when the tenant is deleted. */
    private final Map<UUID, Set<UUID>> articlesOfTenant = new HashMap<>();
    /** Per article: its unit-length centroid, read by searches without locking. */
    private final Map<UUID, float[]> centroids = new ConcurrentHashMap<>();
    /**
     * Every indexed passage by chunk id, read by searches without locking. Lucene keeps only the
     * chunk id: loading stored text and vectors decompressed whole blocks for every candidate,
     * which was most of a search's time and garbage.
     */
    private final Map<UUID, Entry> passages = new ConcurrentHashMap<>();
    /**
     * Per tenant: the languages its articles were ever written in, read by searches without locking.
     * A language whose last article is gone stays until the tenant is deleted: its query clauses
     * then match nothing, which costs a few term lookups.
     */
    private final Map<UUID, Set<String>> languagesOfTenant = new ConcurrentHashMap<>();
    /** Per article: the chunk ids of its passages, to forget them when it is replaced. */
    private final Map<UUID, Set<UUID>> chunksOfArticle = new HashMap<>();

    public KnowledgeIndex() {
        try {
            TieredMergePolicy merges = new TieredMergePolicy();
            // A file in one buffer must stay under 2 GB, the most a Java array holds.
            merges.setMaxMergedSegmentMB(MAX_SEGMENT_MB);
            writer = new IndexWriter(
                    directory,
                    new IndexWriterConfig(documents.analyzer)
                            .setMergePolicy(merges)
                            .setRAMBufferSizeMB(INDEXING_BUFFER_MB));
            searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces everything indexed for these articles of the tenant, then adds the given passages:
     * all of each article's passages, since its centroid is computed from them.
     */
    public synchronized void replace(UUID tenantId, Collection<UUID> articleIds, List<Entry> entries) {
        Set<UUID> tenantArticles = articlesOfTenant.computeIfAbsent(tenantId, tenant -> new HashSet<>());
        Map<UUID, float[]> sums = new HashMap<>();
        Set<UUID> replaced = new HashSet<>();
        try {
            for (UUID articleId : articleIds) {
                writer.deleteDocuments(PassageDocuments.article(tenantId, articleId));
                tenantArticles.remove(articleId);
                centroids.remove(articleId);
                replaced.addAll(chunksOfArticle.getOrDefault(articleId, Set.of()));
                chunksOfArticle.remove(articleId);
            }
            for (Entry entry : entries) {
                // Known before the searcher can find it, so a search never meets a chunk id it cannot resolve.
                passages.put(entry.chunkId(), entry);
                chunksOfArticle
                        .computeIfAbsent(entry.articleId(), article -> new HashSet<>())
                        .add(entry.chunkId());
                writer.addDocument(PassageDocuments.document(tenantId, entry));
                languagesOfTenant
                        .computeIfAbsent(tenantId, tenant -> ConcurrentHashMap.newKeySet())
                        .add(LanguageAnalyzers.analyzed(entry.language()));
                sums.merge(entry.articleId(), entry.vector().clone(), KnowledgeIndex::addInPlace);
            }
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.forEach(entry -> replaced.remove(entry.chunkId()));
        replaced.forEach(passages::remove);
        sums.forEach((articleId, sum) -> {
            tenantArticles.add(articleId);
            centroids.put(articleId, Embedder.normalise(sum));
        });
    }

    public synchronized void deleteTenant(UUID tenantId) {
        try {
            writer.deleteDocuments(PassageDocuments.tenant(tenantId));
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        languagesOfTenant.remove(tenantId);
        Set<UUID> tenantArticles = articlesOfTenant.remove(tenantId);
        if (tenantArticles != null) {
            tenantArticles.forEach(centroids::remove);
            tenantArticles.forEach(articleId ->
                    chunksOfArticle.getOrDefault(articleId, Set.of()).forEach(passages::remove));
            tenantArticles.forEach(chunksOfArticle::remove);
        }
    }

    /**
     * The question with its misspelt words corrected to the closest word (one edit away) of this
     * tenant's articles: "pasword" becomes "password", which both the keywords and the embedding
     * then match. Short words, words the tenant's articles contain and words {@code knownWord}
     * accepts ("smell" is no typo of "small") are left as they are.
     */
    public String correctSpelling(UUID tenantId, String question, Predicate<String> knownWord) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return spelling.correct(searcher, tenantId, question, knownWord);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The best candidate passages for a question, by the fused rank of their keyword and vector matches. */
    public List<Hit> search(UUID tenantId, String question, float[] vector, int limit) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                ScoreDoc[] keywordHits = searcher.search(
                                documents.keywords(
                                        tenantId,
                                        question,
                                        languagesOfTenant.getOrDefault(
                                                tenantId, Set.of(LanguageAnalyzers.DEFAULT_LANGUAGE))),
                                CANDIDATES)
                        .scoreDocs;
                ScoreDoc[] vectorHits =
                        searcher.search(PassageDocuments.nearest(tenantId, vector, CANDIDATES), CANDIDATES).scoreDocs;
                Map<Integer, Double> fused = new HashMap<>();
                fuse(fused, keywordHits, KEYWORD_WEIGHT);
                fuse(fused, vectorHits, 1);
                Map<Integer, Double> keywordMatch = new HashMap<>();
                for (ScoreDoc hit : keywordHits) {
                    keywordMatch.put(hit.doc, (double) (hit.score / keywordHits[0].score));
                }
                List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
                return fused.entrySet().stream()
                        .sorted(Map.Entry.<Integer, Double>comparingByValue().reversed())
                        .limit(limit)
                        .map(candidate -> hit(
                                leaves, candidate.getKey(), vector, keywordMatch.getOrDefault(candidate.getKey(), 0.0)))
                        .filter(java.util.Objects::nonNull)
                        .toList();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The candidate as a hit; null when its article was replaced since the search began. */
    private Hit hit(List<LeafReaderContext> leaves, int doc, float[] vector, double keywordMatch) {
        try {
            UUID chunkId = PassageDocuments.chunkId(leaves, doc);
            Entry passage = chunkId == null ? null : passages.get(chunkId);
            if (passage == null) {
                return null;
            }
            float[] centroid = centroids.get(passage.articleId());
            double similarity = Embedder.dot(vector, passage.vector());
            return new Hit(
                    passage.chunkId().toString(),
                    passage.articleId().toString(),
                    passage.title(),
                    passage.url(),
                    passage.language(),
                    passage.heading(),
                    passage.text(),
                    similarity,
                    centroid == null ? similarity : Embedder.dot(vector, centroid),
                    keywordMatch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fuse(Map<Integer, Double> fused, ScoreDoc[] ranked, double weight) {
        for (int rank = 0; rank < ranked.length; rank++) {
            fused.merge(ranked[rank].doc, weight / (RRF_K + rank + 1), Double::sum);
        }
    }

    private static float[] addInPlace(float[] sum, float[] vector) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += vector[i];
        }
        return sum;
    }

    @PreDestroy
    void close() throws IOException {
        searchers.close();
        writer.close();
    }
}
