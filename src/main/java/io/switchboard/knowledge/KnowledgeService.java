package io.switchboard.knowledge;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The articles of the tenant in scope as admins manage them: listed, read, written, deleted and
 * approved after review. Adding text goes through {@link ArticleIngestion}; answering from it
 * through {@link Retrieval}.
 */
@ApplicationScoped
public class KnowledgeService {

    private final ArticleRepository articles;
    private final KnowledgeChunkRepository chunks;
    private final KnowledgeIndex index;
    private final AuditLog audit;
    private final ArticleIngestion ingestion;

    public KnowledgeService(
            ArticleRepository articles,
            KnowledgeChunkRepository chunks,
            KnowledgeIndex index,
            AuditLog audit,
            ArticleIngestion ingestion) {
        this.articles = articles;
        this.chunks = chunks;
        this.index = index;
        this.audit = audit;
        this.ingestion = ingestion;
    }

    /**
     * An article as the admin API shows it. {@code reviewReason} is set while the article is held
     * for review: its text reads like instructions to the assistant, so answers do not use it until
     * an admin approves it or changes the text.
     */
    public record ArticleView(
            UUID id,
            String title,
            String body,
            String url,
            List<String> tags,
            String language,
            boolean fromConfig,
            String reviewReason,
            Instant createdAt,
            Instant updatedAt) {

        static ArticleView of(Article article) {
            return new ArticleView(
                    article.id,
                    article.title,
                    article.body,
                    article.url,
                    List.copyOf(article.tags),
                    article.language,
                    article.sourceKey != null,
                    article.reviewReason,
                    article.createdAt,
                    article.updatedAt);
        }
    }

    /** One page of the tenant's articles, oldest first; {@code next} is the cursor of the following page. */
    public record ArticlePage(List<ArticleView> items, String next) {}

    public ArticlePage list(String after, int limit, String text) {
        TenantScope.require();
        List<Article> page = QuarkusTransaction.requiringNew().call(() -> articles.page(after, limit + 1, text));
        String next = page.size() > limit ? ArticleRepository.cursor(page.get(limit - 1)) : null;
        return new ArticlePage(page.stream().limit(limit).map(ArticleView::of).toList(), next);
    }

    public ArticleView get(UUID id) {
        TenantScope.require();
        return QuarkusTransaction.requiringNew()
                .call(() -> articles.find("id", id).firstResultOptional())
                .map(ArticleView::of)
                .orElseThrow(() -> ProblemException.notFound("Article"));
    }

    /** Adds an article written through the API: chunked, embedded, stored and searchable before this returns. */
    public ArticleView create(ArticleDefinition definition) {
        UUID id = UUID.randomUUID();
        ingestion.save(List.of(id), List.of(definition));
        return get(id);
    }

    public ArticleView update(UUID id, ArticleDefinition definition) {
        get(id);
        ingestion.save(List.of(id), List.of(definition));
        return get(id);
    }

    public void delete(UUID id) {
        UUID tenantId = TenantScope.require();
        get(id);
        QuarkusTransaction.requiringNew().run(() -> {
            chunks.deleteForArticles(List.of(id));
            articles.delete("id", id);
        });
        index.replace(tenantId, List.of(id), List.of());
    }

    /** An admin read an article held for review and vouches for it: answers may use it from now on. */
    public ArticleView approve(UUID id) {
        UUID tenantId = TenantScope.require();
        List<KnowledgeIndex.Entry> entries = QuarkusTransaction.requiringNew().call(() -> {
            Article article = articles.find("id", id)
                    .firstResultOptional()
                    .orElseThrow(() -> ProblemException.notFound("Article"));
            if (article.reviewReason != null) {
                audit.record(
                        tenantId,
                        AuditLog.Action.ARTICLE_APPROVED,
                        article.id.toString(),
                        Map.of("reason", article.reviewReason));
                article.reviewReason = null;
            }
            return chunks.ofArticle(id).stream()
                    .map(chunk -> KnowledgeIndex.Entry.of(chunk, article))
                    .toList();
        });
        index.replace(tenantId, List.of(id), entries);
        return get(id);
    }
}
