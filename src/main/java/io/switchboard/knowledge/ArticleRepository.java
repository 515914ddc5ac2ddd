package io.switchboard.knowledge;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ArticleRepository implements PanacheRepositoryBase<Article, UUID> {

    public List<Article> fromConfig() {
        return list("sourceKey is not null");
    }

    /** Keyset pagination by (created, id): stable while articles are added. */
    /** A page of articles, oldest first; with {@code text}, only those whose title or body contains it (any case). */
    public List<Article> page(String after, int size, String text) {
        Sort order = Sort.ascending("createdAt", "id");
        String matching = "(lower(title) like :text or lower(body) like :text)";
        Parameters filter = text == null || text.isBlank()
                ? null
                : Parameters.with(
                        "text",
                        "%"
                                + text.strip()
                                        .toLowerCase(java.util.Locale.ROOT)
                                        .replace("\\", "\\\\")
                                        .replace("%", "\\%")
                                        .replace("_", "\\_")
                                + "%");
        if (after == null || after.isBlank()) {
            return filter == null
                    ? findAll(order).page(0, size).list()
                    : find(matching, order, filter).page(0, size).list();
        }
        String[] parts = after.split("_", 2);
        Instant createdAt;
        UUID id;
        try {
            createdAt = Instant.ofEpochMilli(0).plusNanos(Long.parseLong(parts[0]) * 1000);
            id = UUID.fromString(parts[1]);
        } catch (RuntimeException e) {
            throw new ProblemException(
                    ProblemType.MALFORMED_REQUEST, "The cursor 'after' is not one this API returned");
        }
        Parameters position =
                filter == null ? Parameters.with("createdAt", createdAt) : filter.and("createdAt", createdAt);
        return find(
                        "(createdAt > :createdAt or (createdAt = :createdAt and id > :id))"
                                + (filter == null ? "" : " and " + matching),
                        order,
                        position.and("id", id))
                .page(0, size)
                .list();
    }

    static String cursor(Article article) {
        long micros = article.createdAt.getEpochSecond() * 1_000_000 + article.createdAt.getNano() / 1000;
        return micros + "_" + article.id;
    }
}
