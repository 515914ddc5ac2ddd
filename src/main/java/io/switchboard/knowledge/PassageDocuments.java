package io.switchboard.knowledge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.DelegatingAnalyzerWrapper;
import org.apache.lucene.analysis.TokenStream;
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
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * How {@link KnowledgeIndex} lays a passage out as a Lucene document, and the queries that read
 * that layout back: the one place that knows the index's fields, so every query it builds keeps the
 * tenant filter.
 */
final class PassageDocuments {

    private static final String TENANT = "tenant";
    private static final String ARTICLE = "article";
    private static final String CHUNK = "chunk";
    private static final String TITLE = "title";
    private static final String HEADING = "heading";
    private static final String TEXT = "text";
    /** Every word of the passage as written (not stemmed): the vocabulary that misspelt questions are corrected to. */
    private static final String WORDS = "words";

    private static final String VECTOR = "vector";

    /** Per language: its analyzer, shared by indexing and queries (an analyzer keeps its state per thread). */
    private final Map<String, Analyzer> analyzers = new ConcurrentHashMap<>();

    private final Analyzer words = new StandardAnalyzer();

    /**
     * Stems the searchable text by its article's language, named in the field ({@code text.de});
     * keeps the words of {@link #WORDS} as written.
     */
    final Analyzer analyzer = new DelegatingAnalyzerWrapper(Analyzer.PER_FIELD_REUSE_STRATEGY) {
        @Override
        protected Analyzer getWrappedAnalyzer(String field) {
            return field.equals(WORDS) ? words : analyzerOf(field.substring(field.indexOf('.') + 1));
        }
    };

    static Document document(UUID tenantId, KnowledgeIndex.Entry entry) {
        Document document = new Document();
        document.add(new StringField(TENANT, tenantId.toString(), Field.Store.NO));
        document.add(new StringField(ARTICLE, entry.articleId().toString(), Field.Store.NO));
        document.add(new BinaryDocValuesField(CHUNK, new BytesRef(bytes(entry.chunkId()))));
        String language = LanguageAnalyzers.analyzed(entry.language());
        document.add(new TextField(field(TITLE, language), entry.title(), Field.Store.NO));
        document.add(new TextField(field(HEADING, language), entry.heading(), Field.Store.NO));
        document.add(new TextField(field(TEXT, language), entry.text(), Field.Store.NO));
        document.add(
                new TextField(WORDS, entry.title() + "\n" + entry.heading() + "\n" + entry.text(), Field.Store.NO));
        document.add(new KnnFloatVectorField(VECTOR, entry.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        return document;
    }

    /** Every document of the tenant. */
    static Term tenant(UUID tenantId) {
        return new Term(TENANT, tenantId.toString());
    }

    /** Every passage of one of the tenant's articles. */
    static Query article(UUID tenantId, UUID articleId) {
        return inTenant(tenantId, new TermQuery(new Term(ARTICLE, articleId.toString())));
    }

    /** A word as written in some passage, lower case. */
    static Term word(String lowerCase) {
        return new Term(WORDS, lowerCase);
    }

    /** The tenant's passages that contain the word as written. */
    static Query wordInTenant(UUID tenantId, String lowerCase) {
        return inTenant(tenantId, new TermQuery(word(lowerCase)));
    }

    /**
     * BM25 over the question's terms, a title match counting most and a heading match more than the
     * text's. The question is read once per language of the tenant's articles, with that language's
     * stemmer against that language's passages: a Spanish question meets Spanish articles stemmed as
     * Spanish, and English ones on the words both share (names, order numbers).
     */
    Query keywords(UUID tenantId, String question, Set<String> languages) throws IOException {
        BooleanQuery.Builder terms = new BooleanQuery.Builder();
        for (String language : languages) {
            for (String term : analyzedTerms(analyzerOf(language), question)) {
                terms.add(new BoostQuery(new TermQuery(new Term(field(TITLE, language), term)), 2f), Occur.SHOULD);
                terms.add(new BoostQuery(new TermQuery(new Term(field(HEADING, language), term)), 1.5f), Occur.SHOULD);
                terms.add(new TermQuery(new Term(field(TEXT, language), term)), Occur.SHOULD);
            }
        }
        return inTenant(tenantId, terms.build());
    }

    private static String field(String name, String language) {
        return name + "." + language;
    }

    private Analyzer analyzerOf(String language) {
        return analyzers.computeIfAbsent(LanguageAnalyzers.analyzed(language), LanguageAnalyzers::of);
    }

    /** The tenant's passages nearest to the vector, with the tenant as the search's pre-filter. */
    static Query nearest(UUID tenantId, float[] vector, int count) {
        return new KnnFloatVectorQuery(VECTOR, vector, count, new TermQuery(tenant(tenantId)));
    }

    /**
     * The chunk id of a document, from its doc values: reading a stored field decompressed a whole
     * block of documents per candidate, the largest part of a search's garbage.
     */
    static UUID chunkId(List<LeafReaderContext> leaves, int doc) throws IOException {
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

    private static Query inTenant(UUID tenantId, Query query) {
        return new BooleanQuery.Builder()
                .add(new TermQuery(tenant(tenantId)), Occur.FILTER)
                .add(query, Occur.MUST)
                .build();
    }

    private static Set<String> analyzedTerms(Analyzer analyzer, String text) throws IOException {
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
}
