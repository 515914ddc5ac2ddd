package io.switchboard.knowledge;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.switchboard.platform.BackgroundWork;
import io.switchboard.platform.LanguageDetection;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Articles into the knowledge base of the tenant in scope: chunked along their headings,
 * scanned for planted instructions, embedded outside any transaction, stored together (all or
 * nothing) and then made searchable; large imports run in the background with their progress.
 */
@ApplicationScoped
public class ArticleIngestion {

    private static final int EMBED_BATCH = 32;
    private static final int PROGRESS_LOG_EVERY = 500;
    /** An article's language is told from its title and the start of its text: more adds time, not certainty. */
    private static final int LANGUAGE_SAMPLE_CHARS = 1000;

    private static final Logger LOG = Logger.getLogger(ArticleIngestion.class);

    private final ArticleRepository articles;
    private final KnowledgeChunkRepository chunks;
    private final ArticleWriter writer;
    private final Embedder embedder;
    private final KnowledgeIndex index;
    private final TenantService tenants;
    private final MeterRegistry metrics;
    private final BackgroundWork background;
    private final LanguageDetection languages;
    private final Map<UUID, IngestionStatus> progress = new ConcurrentHashMap<>();

    public ArticleIngestion(
            ArticleRepository articles,
            KnowledgeChunkRepository chunks,
            ArticleWriter writer,
            Embedder embedder,
            KnowledgeIndex index,
            TenantService tenants,
            MeterRegistry metrics,
            BackgroundWork background,
            LanguageDetection languages) {
        this.articles = articles;
        this.chunks = chunks;
        this.writer = writer;
        this.embedder = embedder;
        this.index = index;
        this.tenants = tenants;
        this.metrics = metrics;
        this.background = background;
        this.languages = languages;
    }

    /**
     * Brings the articles that come from tenants-config to exactly the given set: new keys are
     * added, changed ones re-chunked and re-embedded, removed ones deleted, unchanged ones left
     * alone. All or nothing.
     */
    public void importArticles(List<ArticleDefinition> definitions) {
        UUID tenantId = TenantScope.require();
        Map<String, Article> existing = new HashMap<>();
        Set<UUID> indexed = new HashSet<>();
        QuarkusTransaction.requiringNew().run(() -> {
            articles.fromConfig().forEach(article -> existing.put(article.sourceKey, article));
            indexed.addAll(chunks.articlesWithChunks());
        });
        List<ArticleDefinition> changed = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        for (ArticleDefinition definition : definitions) {
            Article article = existing.remove(definition.key());
            if (article == null || !matches(definition, article) || !indexed.contains(article.id)) {
                changed.add(definition);
                ids.add(article == null ? UUID.randomUUID() : article.id);
            }
        }
        Set<UUID> removed =
                existing.values().stream().map(article -> article.id).collect(Collectors.toSet());
        if (changed.isEmpty() && removed.isEmpty()) {
            return;
        }
        List<PreparedArticle> prepared = prepare(tenantId, changed, ids);
        QuarkusTransaction.requiringNew().run(() -> {
            writer.store(prepared);
            writer.delete(removed);
        });
        Set<UUID> touched = new HashSet<>(removed);
        touched.addAll(ids);
        index.replace(tenantId, touched, entries(prepared));
        finish(tenantId);
        reportHeld(prepared);
        LOG.infof(
                "Knowledge of tenant %s: %d article(s) added or changed, %d removed",
                tenantId, changed.size(), removed.size());
    }

    /**
     * Adds several articles at once (uploaded files) on a background thread, for imports too large
     * to wait for: embedded with progress in {@link #status()}, stored in one transaction (all or
     * nothing), searchable when the status says done. The status shows them running from the
     * moment this returns, and a failure there.
     */
    public void addAllInBackground(List<ArticleDefinition> definitions) {
        UUID tenantId = TenantScope.require();
        int total = definitions.stream()
                .mapToInt(definition ->
                        Chunker.chunk(definition.title(), definition.body()).size())
                .sum();
        progress.put(
                tenantId, new IngestionStatus(IngestionStatus.State.RUNNING, total, 0, List.of(), Instant.now(), null));
        background.run(() -> {
            try {
                TenantScope.run(
                        tenantId,
                        () -> save(
                                definitions.stream()
                                        .map(definition -> UUID.randomUUID())
                                        .toList(),
                                definitions));
            } catch (RuntimeException error) {
                failed(tenantId, error);
                LOG.errorf(error, "Importing %d article(s) failed; nothing was stored", definitions.size());
            }
        });
    }

    void save(List<UUID> ids, List<ArticleDefinition> definitions) {
        UUID tenantId = TenantScope.require();
        long started = System.nanoTime();
        List<PreparedArticle> prepared = prepare(tenantId, definitions, ids);
        long embedded = System.nanoTime();
        QuarkusTransaction.requiringNew().run(() -> writer.store(prepared));
        long stored = System.nanoTime();
        index.replace(tenantId, ids, entries(prepared));
        long indexed = System.nanoTime();
        reportHeld(prepared);
        finish(tenantId);
        if (prepared.size() > 1) {
            LOG.infof(
                    "Knowledge of tenant %s: %d article(s), %d passages added in %d ms (embedding %d ms, storing %d ms, indexing %d ms)",
                    tenantId,
                    prepared.size(),
                    prepared.stream()
                            .mapToInt(article -> article.pieces().size())
                            .sum(),
                    (indexed - started) / 1_000_000,
                    (embedded - started) / 1_000_000,
                    (stored - embedded) / 1_000_000,
                    (indexed - stored) / 1_000_000);
        }
    }

    /** Held articles are logged by id only (their text is the tenant's) and counted, for the admin to review. */
    private void reportHeld(List<PreparedArticle> prepared) {
        List<PreparedArticle> held =
                prepared.stream().filter(PreparedArticle::heldForReview).toList();
        if (held.isEmpty()) {
            return;
        }
        String tenant = tenants.findById(TenantScope.require())
                .map(TenantSettings::slug)
                .orElse("");
        held.forEach(article -> {
            LOG.warnf("Article %s is held for review: its text reads like instructions to the assistant", article.id());
            metrics.counter("switchboard.knowledge.held", "tenant", tenant).increment();
        });
    }

    public IngestionStatus status() {
        return progress.getOrDefault(TenantScope.require(), IngestionStatus.IDLE);
    }

    private List<PreparedArticle> prepare(UUID tenantId, List<ArticleDefinition> declared, List<UUID> ids) {
        List<ArticleDefinition> definitions =
                declared.stream().map(this::withLanguage).toList();
        List<List<Chunker.Piece>> pieces = definitions.stream()
                .map(d -> Chunker.chunk(d.title(), d.body()))
                .toList();
        // Embedded in full batches across articles: an article of three passages alone would leave
        // most of the embedding workers idle.
        List<String> texts =
                pieces.stream().flatMap(List::stream).map(Chunker.Piece::text).toList();
        // The scan for planted instructions runs beside the embedding and uses the moments its
        // workers wait on each other at the end of a batch; afterwards it would add its own time.
        CompletableFuture<List<String>> reviewReasons = CompletableFuture.supplyAsync(
                () -> definitions.stream()
                        .map(definition -> InstructionScan.reasonFor(definition.title(), definition.body())
                                .orElse(null))
                        .toList(),
                scan -> Thread.ofVirtual().name("instruction-scan").start(scan));
        Instant started = Instant.now();
        progress.put(
                tenantId,
                new IngestionStatus(IngestionStatus.State.RUNNING, texts.size(), 0, List.of(), started, null));
        List<float[]> vectors = new ArrayList<>(texts.size());
        try {
            for (int from = 0; from < texts.size(); from += EMBED_BATCH) {
                vectors.addAll(embedder.embedAll(texts.subList(from, Math.min(from + EMBED_BATCH, texts.size()))));
                progress.put(
                        tenantId,
                        new IngestionStatus(
                                IngestionStatus.State.RUNNING, texts.size(), vectors.size(), List.of(), started, null));
                if (vectors.size() / PROGRESS_LOG_EVERY > from / PROGRESS_LOG_EVERY) {
                    LOG.infof(
                            "Knowledge ingestion of tenant %s: %d/%d passages embedded",
                            tenantId, vectors.size(), texts.size());
                }
            }
        } catch (RuntimeException e) {
            failed(tenantId, e);
            throw e;
        }
        List<PreparedArticle> prepared = new ArrayList<>();
        List<String> reasons = reviewReasons.join();
        int offset = 0;
        for (int i = 0; i < definitions.size(); i++) {
            List<Chunker.Piece> articlePieces = pieces.get(i);
            ArticleDefinition definition = definitions.get(i);
            prepared.add(new PreparedArticle(
                    ids.get(i),
                    definition,
                    articlePieces,
                    vectors.subList(offset, offset + articlePieces.size()),
                    articlePieces.stream().map(piece -> UUID.randomUUID()).toList(),
                    reasons.get(i)));
            offset += articlePieces.size();
        }
        return prepared;
    }

    /**
     * The article as declared, or when it names no language, in the one its text is written in
     * (English when the text cannot tell): retrieval prefers articles in the customer's language.
     */
    private ArticleDefinition withLanguage(ArticleDefinition definition) {
        if (definition.language() != null) {
            return definition;
        }
        String start = definition.title() + "\n"
                + definition.body().substring(0, Math.min(definition.body().length(), LANGUAGE_SAMPLE_CHARS));
        return definition.inLanguage(languages.detect(start).orElse("en"));
    }

    /** The running ingestion ended in an error: the status says so, with how far it got. */
    private void failed(UUID tenantId, RuntimeException error) {
        IngestionStatus running = progress.getOrDefault(tenantId, IngestionStatus.IDLE);
        progress.put(
                tenantId,
                new IngestionStatus(
                        IngestionStatus.State.FAILED,
                        running.totalChunks(),
                        running.doneChunks(),
                        List.of(error.getClass().getSimpleName() + ": " + error.getMessage()),
                        running.startedAt(),
                        Instant.now()));
    }

    private void finish(UUID tenantId) {
        IngestionStatus running = progress.get(tenantId);
        if (running != null) {
            progress.put(
                    tenantId,
                    new IngestionStatus(
                            IngestionStatus.State.DONE,
                            running.totalChunks(),
                            running.totalChunks(),
                            List.of(),
                            running.startedAt(),
                            Instant.now()));
        }
    }

    private static List<KnowledgeIndex.Entry> entries(List<PreparedArticle> prepared) {
        List<KnowledgeIndex.Entry> entries = new ArrayList<>();
        for (PreparedArticle article : prepared) {
            if (article.heldForReview()) {
                continue;
            }
            for (int i = 0; i < article.pieces().size(); i++) {
                Chunker.Piece piece = article.pieces().get(i);
                entries.add(new KnowledgeIndex.Entry(
                        article.chunkIds().get(i),
                        article.id(),
                        article.definition().title(),
                        article.definition().url(),
                        article.definition().language(),
                        piece.heading(),
                        piece.text(),
                        article.vectors().get(i)));
            }
        }
        return entries;
    }

    private static boolean matches(ArticleDefinition definition, Article article) {
        return Objects.equals(article.title, definition.title())
                && Objects.equals(article.body, definition.body())
                && Objects.equals(article.url, definition.url())
                && Objects.equals(article.tags, definition.tags())
                // An article declared without a language keeps the one detected when it was stored.
                && (definition.language() == null || Objects.equals(article.language, definition.language()));
    }
}
