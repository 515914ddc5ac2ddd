package io.switchboard.knowledge;

import io.switchboard.tenant.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** The knowledge base of the tenant in scope. */
@ApplicationScoped
public class KnowledgeService {

    private static final Logger LOG = Logger.getLogger(KnowledgeService.class);

    private final ArticleRepository articles;

    public KnowledgeService(ArticleRepository articles) {
        this.articles = articles;
    }

    /**
     * Brings the articles that come from tenants-config to the given set in one transaction:
     * new keys are added, changed ones updated, removed ones deleted; unchanged ones are not touched.
     */
    @Transactional
    public void importArticles(List<ArticleDefinition> definitions) {
        UUID tenantId = TenantScope.require();
        Map<String, Article> existing = articles.fromConfig().stream()
                .collect(Collectors.toMap(article -> article.sourceKey, Function.identity()));
        Instant now = Instant.now();
        int added = 0;
        int updated = 0;
        for (ArticleDefinition definition : definitions) {
            Article article = existing.remove(definition.key());
            if (article == null) {
                article = new Article();
                article.id = UUID.randomUUID();
                article.sourceKey = definition.key();
                article.createdAt = now;
                copy(definition, article, now);
                articles.persist(article);
                added++;
            } else if (!matches(definition, article)) {
                copy(definition, article, now);
                updated++;
            }
        }
        existing.values().forEach(articles::delete);
        if (added + updated + existing.size() > 0) {
            LOG.infof("Knowledge of tenant %s: %d added, %d updated, %d removed", tenantId, added, updated, existing.size());
        }
    }

    /** Every article of the tenant. A full scan: fine for a few hundred articles, until the hybrid index lands. */
    @Transactional
    public List<ArticleText> all() {
        return articles.listAll().stream()
                .map(article -> new ArticleText(article.id, article.title, article.body, article.url))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    /** An article's searchable content. */
    public record ArticleText(UUID id, String title, String body, String url) {
    }

    private static void copy(ArticleDefinition definition, Article article, Instant now) {
        article.title = definition.title();
        article.body = definition.body();
        article.url = definition.url();
        article.tags = new ArrayList<>(definition.tags());
        article.language = definition.language();
        article.updatedAt = now;
    }

    private static boolean matches(ArticleDefinition definition, Article article) {
        return Objects.equals(article.title, definition.title()) && Objects.equals(article.body, definition.body())
                && Objects.equals(article.url, definition.url()) && Objects.equals(article.tags, definition.tags())
                && Objects.equals(article.language, definition.language());
    }
}
