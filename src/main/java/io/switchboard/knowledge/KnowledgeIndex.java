package io.switchboard.knowledge;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
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
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The hybrid search index of every tenant's knowledge: BM25 over title, heading and text plus an
 * HNSW vector index over the embeddings, fused by reciprocal rank. Every query carries the
 * tenant as a filter clause — inside the BM25 query and as the pre-filter of the vector search —
 * so another tenant's passage is never even a candidate. In memory; rebuilt from the database
 * at startup.
 */
@ApplicationScoped
public class KnowledgeIndex {

    /** A passage found for a question, with the cosine similarity of its embedding to the question's. */
    public record Hit(String chunkId, String articleId, String title, String url, String heading, String text,
            double similarity, double fusedScore) {
    }

    /** What the index needs of a passage. */
    public record Entry(UUID chunkId, UUID articleId, String title, String url, String heading, String text, float[] vector,
            float[] headingVector, float[] textVector) {
    }

    private static final String TENANT = "tenant";
    private static final String ARTICLE = "article";
    private static final String CHUNK = "chunk";
    private static final String TITLE = "title";
    private static final String HEADING = "heading";
    private static final String TEXT = "text";
    private static final String URL = "url";
    private static final String VECTOR = "vector";
    private static final String VECTOR_BYTES = "vector_bytes";
    /** "Article › section" alone: short questions often match what a passage is about better than its wording. */
    private static final String HEADING_VECTOR = "heading_vector";
    private static final String HEADING_VECTOR_BYTES = "heading_vector_bytes";
    /** The bare passage text, without the title and heading that the main vector carries. */
    private static final String TEXT_VECTOR = "text_vector";
    private static final String TEXT_VECTOR_BYTES = "text_vector_bytes";
    /** The usual reciprocal-rank-fusion constant: damps the influence of any single list's top ranks. */
    private static final int RRF_K = 60;
    /** Keyword matches count for less than meaning: customers rarely use the help centre's words. */
    private static final double KEYWORD_WEIGHT = 0.5;
    private static final String[][] VECTOR_FIELDS = {{VECTOR, VECTOR_BYTES}, {HEADING_VECTOR, HEADING_VECTOR_BYTES}, {TEXT_VECTOR, TEXT_VECTOR_BYTES}};
    private static final int CANDIDATES = 20;

    private final Analyzer analyzer = new EnglishAnalyzer();
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private final SearcherManager searchers;

    public KnowledgeIndex() {
        try {
            writer = new IndexWriter(directory, new IndexWriterConfig(analyzer));
            searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces everything indexed for these articles of the tenant with the given passages. */
    public void replace(UUID tenantId, Collection<UUID> articleIds, List<Entry> entries) {
        try {
            for (UUID articleId : articleIds) {
                writer.deleteDocuments(inTenant(tenantId, new TermQuery(new Term(ARTICLE, articleId.toString()))));
            }
            for (Entry entry : entries) {
                writer.addDocument(document(tenantId, entry));
            }
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void deleteTenant(UUID tenantId) {
        try {
            writer.deleteDocuments(new Term(TENANT, tenantId.toString()));
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Hit> search(UUID tenantId, String question, float[] vector, int limit) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                Map<Integer, Double> fused = new HashMap<>();
                fuse(fused, searcher.search(keywordQuery(tenantId, question), CANDIDATES).scoreDocs, KEYWORD_WEIGHT);
                Query tenantFilter = new TermQuery(new Term(TENANT, tenantId.toString()));
                for (String[] field : VECTOR_FIELDS) {
                    fuse(fused, searcher.search(new KnnFloatVectorQuery(field[0], vector, CANDIDATES, tenantFilter), CANDIDATES).scoreDocs, 1);
                }
                StoredFields stored = searcher.storedFields();
                List<Hit> hits = new ArrayList<>();
                for (Map.Entry<Integer, Double> candidate : fused.entrySet()) {
                    Document document = stored.document(candidate.getKey());
                    double similarity = 0;
                    for (String[] field : VECTOR_FIELDS) {
                        similarity = Math.max(similarity,
                                Embedder.dot(vector, KnowledgeChunk.toVector(document.getBinaryValue(field[1]).bytes)));
                    }
                    hits.add(new Hit(document.get(CHUNK), document.get(ARTICLE), document.get(TITLE), document.get(URL),
                            document.get(HEADING), document.get(TEXT), similarity, candidate.getValue()));
                }
                hits.sort(Comparator.comparingDouble(Hit::fusedScore).reversed());
                return hits.subList(0, Math.min(limit, hits.size()));
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fuse(Map<Integer, Double> fused, ScoreDoc[] ranked, double weight) {
        for (int rank = 0; rank < ranked.length; rank++) {
            fused.merge(ranked[rank].doc, weight / (RRF_K + rank + 1), Double::sum);
        }
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
        document.add(new StringField(ARTICLE, entry.articleId().toString(), Field.Store.YES));
        document.add(new StringField(CHUNK, entry.chunkId().toString(), Field.Store.YES));
        document.add(new TextField(TITLE, entry.title(), Field.Store.YES));
        document.add(new TextField(HEADING, entry.heading(), Field.Store.YES));
        document.add(new TextField(TEXT, entry.text(), Field.Store.YES));
        if (entry.url() != null) {
            document.add(new StoredField(URL, entry.url()));
        }
        document.add(new KnnFloatVectorField(VECTOR, entry.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        document.add(new StoredField(VECTOR_BYTES, KnowledgeChunk.toBytes(entry.vector())));
        document.add(new KnnFloatVectorField(HEADING_VECTOR, entry.headingVector(), VectorSimilarityFunction.DOT_PRODUCT));
        document.add(new StoredField(HEADING_VECTOR_BYTES, KnowledgeChunk.toBytes(entry.headingVector())));
        document.add(new KnnFloatVectorField(TEXT_VECTOR, entry.textVector(), VectorSimilarityFunction.DOT_PRODUCT));
        document.add(new StoredField(TEXT_VECTOR_BYTES, KnowledgeChunk.toBytes(entry.textVector())));
        return document;
    }

    @PreDestroy
    void close() throws IOException {
        searchers.close();
        writer.close();
    }
}
