package io.switchboard.knowledge;

import static io.switchboard.testing.BenchApp.secondsSince;

import io.switchboard.testing.BenchApp;
import io.switchboard.testing.KnowledgeUpload;
import io.switchboard.testing.ModelStub;
import io.switchboard.testing.PackagedJar;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Knowledge ingestion end to end: help files posted to the import API of the packaged application
 * (on real PostgreSQL) until its status says done — reading, chunking, embedding, the database
 * write and the search index — against embedding the same passages alone in this JVM, the part no
 * ingestion can avoid. Usage: {@code <app jar> [passages, default 6000]}. Loopback only.
 */
public final class KnowledgeImportBenchmark {

    private static final String TENANT_FILE =
            "slug: bench\nname: Benchmark\nmodel: { primary: { endpoint: builtin, model: retrieval } }\n";
    /** Under the application's default request size limit ({@code SWITCHBOARD_HTTP_MAX_BODY}, 1 MB), multipart framing included. */
    private static final int REQUEST_BYTES = 900 * 1024;

    private static final int WARM_UP_PASSAGES = 2000;
    private static final Pattern REBUILT =
            Pattern.compile("Knowledge index rebuilt from the database: (\\d+) passages in (\\d+) ms");

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    private KnowledgeImportBenchmark(URI base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int passages = args.length > 1 ? Integer.parseInt(args[1]) : 6000;
        List<ArticleDefinition> demo = ArticleFiles.read(Path.of("tenants-config/demo/knowledge"), new ArrayList<>());

        Embedder embedder = new Embedder();
        embedAlone(embedder, articles(demo, 0, WARM_UP_PASSAGES));
        List<ArticleDefinition> measured = articles(demo, 1_000_000, passages);
        long baselineStart = System.nanoTime();
        int embedded = embedAlone(embedder, measured);
        double baseline = embedded / secondsSince(baselineStart);

        try (ModelStub stub = ModelStub.start(false);
                BenchApp app = BenchApp.start(jar, TENANT_FILE, stub.baseUrl(), "bench", Map.of())) {
            KnowledgeImportBenchmark benchmark = new KnowledgeImportBenchmark(URI.create(app.baseUrl()));
            benchmark.importAll(articles(demo, 2_000_000, WARM_UP_PASSAGES));
            long start = System.nanoTime();
            int imported = benchmark.importAll(measured);
            double rate = imported / secondsSince(start);
            System.out.printf(
                    "machine: %d cores, Java %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            long stored = app.rows("knowledge_chunk");
            System.out.printf(
                    "import of %d passages (%d articles) through the API until stored and searchable: %.0f passages/s"
                            + " vs %.0f passages/s embedding alone in one JVM: ratio %.2f; %d passages stored in PostgreSQL%n",
                    imported, measured.size(), rate, baseline, rate / baseline, stored);
            app.restart();
            Matcher rebuilt = REBUILT.matcher(app.log());
            if (rebuilt.find()) {
                int passagesRebuilt = Integer.parseInt(rebuilt.group(1));
                double rebuildSeconds = Integer.parseInt(rebuilt.group(2)) / 1000.0;
                System.out.printf(
                        "after a restart, the search index rebuilt from PostgreSQL: %d passages in %.1f s (%.0f passages/s,"
                                + " %.0f× the embedding-alone rate: nothing is embedded again)%n",
                        passagesRebuilt,
                        rebuildSeconds,
                        passagesRebuilt / rebuildSeconds,
                        passagesRebuilt / rebuildSeconds / baseline);
            }
        }
    }

    /**
     * Demo articles under new titles until they make {@code passages} passages; {@code numberFrom}
     * keeps the texts of different calls apart, so nothing is embedded twice.
     */
    private static List<ArticleDefinition> articles(List<ArticleDefinition> demo, int numberFrom, int passages) {
        List<ArticleDefinition> articles = new ArrayList<>();
        int count = 0;
        for (int i = 0; count < passages; i++) {
            ArticleDefinition source = demo.get(i % demo.size());
            int number = numberFrom + i;
            ArticleDefinition article = new ArticleDefinition(
                    null,
                    source.title() + " (" + number + ")",
                    source.body() + "\n\nReference " + number + ".",
                    null,
                    List.of(),
                    null);
            articles.add(article);
            count += Chunker.chunk(article.title(), article.body()).size();
        }
        return articles;
    }

    /** Embeds the articles' passages in batches of 32, as ingestion does; returns how many. */
    private static int embedAlone(Embedder embedder, List<ArticleDefinition> articles) {
        List<String> texts = articles.stream()
                .flatMap(article -> Chunker.chunk(article.title(), article.body()).stream())
                .map(Chunker.Piece::text)
                .toList();
        for (int from = 0; from < texts.size(); from += 32) {
            embedder.embedAll(texts.subList(from, Math.min(from + 32, texts.size())));
        }
        return texts.size();
    }

    /** Posts the articles as markdown files, as many per request as the size limit allows, each request awaited until done. */
    private int importAll(List<ArticleDefinition> articles) throws Exception {
        int passages = 0;
        List<byte[]> files = new ArrayList<>();
        int bytes = 0;
        for (ArticleDefinition article : articles) {
            byte[] file = ("# " + article.title() + "\n\n" + article.body()).getBytes(StandardCharsets.UTF_8);
            if (!files.isEmpty() && (bytes + file.length > REQUEST_BYTES || files.size() == 200)) {
                passages += importFiles(files);
                files.clear();
                bytes = 0;
            }
            files.add(file);
            bytes += file.length + 200;
        }
        return passages + importFiles(files);
    }

    private int importFiles(List<byte[]> files) throws Exception {
        List<KnowledgeUpload.HelpFile> named = new ArrayList<>();
        for (byte[] file : files) {
            named.add(new KnowledgeUpload.HelpFile("article-" + named.size() + ".md", file));
        }
        return KnowledgeUpload.importAll(http, base, PackagedJar.PLATFORM_KEY, "bench", named);
    }
}
