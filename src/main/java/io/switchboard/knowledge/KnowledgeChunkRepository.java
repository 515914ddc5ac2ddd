package io.switchboard.knowledge;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

@ApplicationScoped
public class KnowledgeChunkRepository implements PanacheRepositoryBase<KnowledgeChunk, UUID> {

    public void deleteForArticles(Collection<UUID> articleIds) {
        if (!articleIds.isEmpty()) {
            delete("articleId in ?1", articleIds);
        }
    }

    /** Articles that have passages; one without any (stored before passages existed) needs ingesting. */
    public Set<UUID> articlesWithChunks() {
        return new HashSet<>(getEntityManager()
                .createQuery("select distinct c.articleId from KnowledgeChunk c", UUID.class)
                .getResultList());
    }

    public List<KnowledgeChunk> ofArticle(UUID articleId) {
        return list("articleId", Sort.ascending("ordinal"), articleId);
    }

    /**
     * The tenant's chunks after the given id ({@code null}: from the first), by id, for rebuilding
     * the index: each page starts where the last ended, where an offset would skip over all before it.
     */
    public List<KnowledgeChunk> pageAfter(UUID after, int size) {
        return (after == null ? findAll(Sort.ascending("id")) : find("id > ?1", Sort.ascending("id"), after))
                .page(0, size)
                .list();
    }
}
