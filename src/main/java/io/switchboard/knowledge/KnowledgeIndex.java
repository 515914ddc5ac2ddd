package io.switchboard.knowledge;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestWord;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.SingleInstanceLockFactory;
import org.apache.lucene.util.BytesRef;

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
            String heading,
            String text,
            double similarity,
            double articleSimilarity,
            double keywordMatch) {}

    /** What the index needs of a passage: its content and the embedding of its text. */
    public record Entry(
            UUID chunkId, UUID articleId, String title, String url, String heading, String text, float[] vector) {

        /** A stored passage of a stored article, as the index takes it. */
        static Entry of(KnowledgeChunk chunk, Article article) {
            return new Entry(
                    chunk.id,
                    chunk.articleId,
                    article.title,
                    article.url,
                    chunk.heading,
                    chunk.text,
                    KnowledgeChunk.toVector(chunk.embedding));
        }
    }

    private static final String TENANT = "tenant";
    private static final String ARTICLE = "article";
    private static final String CHUNK = "chunk";
    private static final String TITLE = "title";
    private static final String HEADING = "heading";
    private static final String TEXT = "text";
    /** Every word of the passage as written (not stemmed): the vocabulary that misspelt questions are corrected to. */
    private static final String WORDS = "words";

    private static final String VECTOR = "vector";
    /** The usual reciprocal-rank-fusion constant: damps the influence of any single list's top ranks. */
    private static final int RRF_K = 60;
    /** Keyword matches count for less than meaning: customers rarely use the help centre's words. */
    private static final double KEYWORD_WEIGHT = 0.5;

    private static final int CANDIDATES = 20;
    /** Shorter words are too easily "corrected" into another real word. */
    private static final int MIN_CORRECTED_LENGTH = 5;
    /** Longer "words" are no typos but pasted codes or junk, and each lookup costs with its length. */
    private static final int MAX_CORRECTED_LENGTH = 30;
    /** Words looked up per question: the keyword search reads no more terms than this either. */
    private static final int MAX_CORRECTED_WORDS = 64;

    private static final double MAX_SEGMENT_MB = 1024;
    /**
     * Room for a whole 10,000-passage knowledge base before it is written out as a segment (the
     * default 16 MB made two): every segment is searched on its own, so fewer make a faster search.
     */
    private static final double INDEXING_BUFFER_MB = 64;

    private static final Pattern QUESTION_WORD = Pattern.compile("[\\p{L}']+");

    private final Analyzer analyzer =
            new PerFieldAnalyzerWrapper(new EnglishAnalyzer(), Map.of(WORDS, new StandardAnalyzer()));
    /**
     * Each file in one buffer: searches clone their inputs many times, and a clone of a file kept
     * in many buffers (the default) duplicates every one of them, most of a search's garbage.
     */
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory(
            new SingleInstanceLockFactory(), ByteBuffersDataOutput::new, ByteBuffersDirectory.OUTPUT_AS_ONE_BUFFER);

    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final DirectSpellChecker spelling = new DirectSpellChecker();
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
    /** Per article: the chunk ids of its passages, to forget them when it is replaced. */
    private final Map<UUID, Set<UUID>> chunksOfArticle = new HashMap<>();

    public KnowledgeIndex() {
        spelling.setMaxEdits(1);
        spelling.setMinQueryLength(MIN_CORRECTED_LENGTH);
        try {
            TieredMergePolicy merges = new TieredMergePolicy();
            // A file in one buffer must stay under 2 GB, the most a Java array holds.
            merges.setMaxMergedSegmentMB(MAX_SEGMENT_MB);
            writer = new IndexWriter(
                    directory,
                    new IndexWriterConfig(analyzer).setMergePolicy(merges).setRAMBufferSizeMB(INDEXING_BUFFER_MB));
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
                writer.deleteDocuments(inTenant(tenantId, new TermQuery(new Term(ARTICLE, articleId.toString()))));
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
                writer.addDocument(document(tenantId, entry));
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
            writer.deleteDocuments(new Term(TENANT, tenantId.toString()));
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                Matcher words = QUESTION_WORD.matcher(question);
                StringBuilder corrected = new StringBuilder();
                int lookups = 0;
                while (words.find()) {
                    String word = words.group();
                    boolean lookUp = lookups < MAX_CORRECTED_WORDS
                            && word.length() <= MAX_CORRECTED_LENGTH
                            && !knownWord.test(word.toLowerCase(Locale.ROOT));
                    lookups += lookUp ? 1 : 0;
                    String replacement = lookUp ? correction(searcher, tenantId, word) : word;
                    words.appendReplacement(corrected, Matcher.quoteReplacement(replacement));
                }
                return words.appendTail(corrected).toString();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String correction(IndexSearcher searcher, UUID tenantId, String word) throws IOException {
        String lowerCase = word.toLowerCase(Locale.ROOT);
        if (lowerCase.length() < MIN_CORRECTED_LENGTH
                || searcher.getIndexReader().docFreq(new Term(WORDS, lowerCase)) > 0) {
            return word;
        }
        // Suggestions come from every tenant's words; only one this tenant uses may replace the word.
        for (SuggestWord suggestion :
                spelling.suggestSimilar(new Term(WORDS, lowerCase), 5, searcher.getIndexReader())) {
            if (searcher.count(inTenant(tenantId, new TermQuery(new Term(WORDS, suggestion.string)))) > 0) {
                return suggestion.string;
            }
        }
        return word;
    }

    /** The best candidate passages for a question, by the fused rank of their keyword and vector matches. */
    public List<Hit> search(UUID tenantId, String question, float[] vector, int limit) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                ScoreDoc[] keywordHits = searcher.search(keywordQuery(tenantId, question), CANDIDATES).scoreDocs;
                Query tenantFilter = new TermQuery(new Term(TENANT, tenantId.toString()));
                ScoreDoc[] vectorHits = searcher.search(
                                new KnnFloatVectorQuery(VECTOR, vector, CANDIDATES, tenantFilter), CANDIDATES)
                        .scoreDocs;
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
            UUID chunkId = chunkId(leaves, doc);
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
                    passage.heading(),
                    passage.text(),
                    similarity,
                    centroid == null ? similarity : Embedder.dot(vector, centroid),
                    keywordMatch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The chunk id of a document, from its doc values: reading a stored field decompressed a whole
     * block of documents per candidate, the largest part of a search's garbage.
     */
    private static UUID chunkId(List<LeafReaderContext> leaves, int doc) throws IOException {
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        BinaryDocValues chunkIds = DocValues.getBinary(leaf.reader(), CHUNK);
        if (!chunkIds.advanceExact(doc - leaf.docBase)) {
            return null;
        }
        BytesRef bytes = chunkIds.binaryValue();
        ByteBuffer buffer = ByteBuffer.wrap(bytes.bytes, bytes.offset, bytes.length);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits())
                .array();
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

    private Query keywordQuery(UUID tenantId, String question) throws IOException {
        BooleanQuery.Builder terms = new BooleanQuery.Builder();
        for (String term : analyzedTerms(question)) {
            terms.add(new BoostQuery(new TermQuery(new Term(TITLE, term)), 2f), Occur.SHOULD);
            terms.add(new BoostQuery(new TermQuery(new Term(HEADING, term)), 1.5f), Occur.SHOULD);
            terms.add(new TermQuery(new Term(TEXT, term)), Occur.SHOULD);
        }
        return inTenant(tenantId, terms.build());
    }

    private static Query inTenant(UUID tenantId, Query query) {
        return new BooleanQuery.Builder()
                .add(new TermQuery(new Term(TENANT, tenantId.toString())), Occur.FILTER)
                .add(query, Occur.MUST)
                .build();
    }

    private Set<String> analyzedTerms(String text) throws IOException {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream stream = analyzer.tokenStream(TEXT, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken() && terms.size() < 64) {
                terms.add(term.toString());
            }
            stream.end();
        }
        return terms;
    }

    private static Document document(UUID tenantId, Entry entry) {
        Document document = new Document();
        document.add(new StringField(TENANT, tenantId.toString(), Field.Store.NO));
        document.add(new StringField(ARTICLE, entry.articleId().toString(), Field.Store.NO));
        document.add(new BinaryDocValuesField(CHUNK, new BytesRef(bytes(entry.chunkId()))));
        document.add(new TextField(TITLE, entry.title(), Field.Store.NO));
        document.add(new TextField(HEADING, entry.heading(), Field.Store.NO));
        document.add(new TextField(TEXT, entry.text(), Field.Store.NO));
        document.add(
                new TextField(WORDS, entry.title() + "\n" + entry.heading() + "\n" + entry.text(), Field.Store.NO));
        document.add(new KnnFloatVectorField(VECTOR, entry.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        return document;
    }

    @PreDestroy
    void close() throws IOException {
        searchers.close();
        writer.close();
    }
}
