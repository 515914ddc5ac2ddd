package io.switchboard.knowledge;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes prepared articles and their passages, and deletes removed ones, in the caller's
 * transaction: {@link ArticleIngestion} embeds outside any transaction and keeps this write as
 * short as it can be.
 */
@ApplicationScoped
class ArticleWriter {

    private final ArticleRepository articles;
    private final KnowledgeChunkRepository chunks;

    ArticleWriter(ArticleRepository articles, KnowledgeChunkRepository chunks) {
        this.articles = articles;
        this.chunks = chunks;
    }

    /**
     * Writes the articles and their passages. Existing articles are read and their old passages
     * deleted in one statement each, before any insert: a query between inserts would flush them
     * one by one and check every entity already in the session again.
     */
    void store(List<PreparedArticle> prepared) {
        List<UUID> ids = prepared.stream().map(PreparedArticle::id).toList();
        Map<UUID, Article> existing = articles.list("id in ?1", ids).stream()
                .collect(Collectors.toMap(article -> article.id, Function.identity()));
        chunks.deleteForArticles(existing.keySet());
        prepared.forEach(article -> upsert(article, existing.get(article.id())));
    }

    /** Deletes the articles and their passages. */
    void delete(Collection<UUID> articleIds) {
        chunks.deleteForArticles(articleIds);
        articleIds.forEach(id -> articles.delete("id", id));
    }

    private void upsert(PreparedArticle prepared, Article existing) {
        Instant now = Instant.now();
        Article article = existing;
        if (article == null) {
            article = new Article();
            article.id = prepared.id();
            article.sourceKey = prepared.definition().key();
            article.createdAt = now;
            copy(prepared.definition(), article, now);
            articles.persist(article);
        } else {
            copy(prepared.definition(), article, now);
        }
        article.reviewReason = prepared.reviewReason();
        for (int i = 0; i < prepared.pieces().size(); i++) {
            Chunker.Piece piece = prepared.pieces().get(i);
            KnowledgeChunk chunk = new KnowledgeChunk();
            chunk.id = prepared.chunkIds().get(i);
            chunk.articleId = article.id;
            chunk.ordinal = piece.ordinal();
            chunk.heading = piece.heading();
            chunk.text = piece.text();
            chunk.embedding = KnowledgeChunk.toBytes(prepared.vectors().get(i));
            chunks.persist(chunk);
        }
    }

    private static void copy(ArticleDefinition definition, Article article, Instant now) {
        article.title = definition.title();
        article.body = definition.body();
        article.url = definition.url();
        article.tags = new ArrayList<>(definition.tags());
        article.language = definition.language();
        article.updatedAt = now;
    }
}
