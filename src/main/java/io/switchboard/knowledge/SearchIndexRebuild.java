package io.switchboard.knowledge;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.events.DomainEvent;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantService;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The search index lives in memory: each replica fills it from the stored passages (no
 * embedding computed again) before tenants-config is applied, and drops a deleted tenant's.
 */
@ApplicationScoped
public class SearchIndexRebuild {

    private static final Logger LOG = Logger.getLogger(SearchIndexRebuild.class);
    private static final int REBUILD_PAGE = 1000;

    private final ArticleRepository articles;
    private final KnowledgeChunkRepository chunks;
    private final KnowledgeIndex index;
    private final TenantService tenants;

    SearchIndexRebuild(
            ArticleRepository articles, KnowledgeChunkRepository chunks, KnowledgeIndex index, TenantService tenants) {
        this.articles = articles;
        this.chunks = chunks;
        this.index = index;
        this.tenants = tenants;
    }

    /** A deleted tenant's passages leave this replica's index too. */
    void onTenantDeleted(@Observes DomainEvent event) {
        TenantService.deletedTenant(event).ifPresent(index::deleteTenant);
    }

    /** The index lives in memory: fill it from the stored passages before tenants-config is applied. */
    void onStart(@Observes @Priority(1000) StartupEvent event) {
        rebuildIndex();
    }

    /** Refills the search index of every tenant from the stored passages; no embedding is computed again. */
    public void rebuildIndex() {
        long started = System.nanoTime();
        int total = 0;
        for (UUID tenantId : tenants.allIds()) {
            total += TenantScope.call(tenantId, () -> reindexFromDatabase(tenantId));
        }
        LOG.infof(
                "Knowledge index rebuilt from the database: %d passages in %d ms",
                total, (System.nanoTime() - started) / 1_000_000);
    }

    private int reindexFromDatabase(UUID tenantId) {
        Map<UUID, Article> byId = QuarkusTransaction.requiringNew()
                .call(() -> articles.listAll().stream()
                        .collect(Collectors.toMap(article -> article.id, Function.identity())));
        // Read in pages, indexed at once: the index keeps every entry anyway, and one call writes
        // the tenant's passages as few segments as the indexing buffer allows.
        List<KnowledgeIndex.Entry> entries = new ArrayList<>();
        int count = 0;
        UUID after = null;
        while (true) {
            UUID from = after;
            List<KnowledgeChunk> batch =
                    QuarkusTransaction.requiringNew().call(() -> chunks.pageAfter(from, REBUILD_PAGE));
            for (KnowledgeChunk chunk : batch) {
                Article article = byId.get(chunk.articleId);
                if (article != null && article.reviewReason == null) {
                    entries.add(KnowledgeIndex.Entry.of(chunk, article));
                }
            }
            count += batch.size();
            if (batch.size() < REBUILD_PAGE) {
                index.replace(tenantId, byId.keySet(), entries);
                return count;
            }
            after = batch.get(batch.size() - 1).id;
        }
    }
}
