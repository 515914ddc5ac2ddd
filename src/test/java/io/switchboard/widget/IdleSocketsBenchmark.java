package io.switchboard.widget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.BenchApp;
import io.switchboard.testing.ModelStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many customers with the widget open and nobody typing: N idle WebSockets to one replica, each
 * for its own conversation, and what they cost in resident memory and heap, as ratios to the
 * same replica with none open, and a chat turn's time with and without them.
 * Usage: {@code <app jar> [sockets, default 10000]}. Loopback only, bounded in count and time.
 */
public final class IdleSocketsBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGIN = "https://bench.example";
    private static final Pattern HEAP_USED =
            Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E+]+)$");
    private static final int OPENING_AT_ONCE = 200;
    private static final int TURNS = 21;

    private IdleSocketsBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int sockets = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        try (ModelStub stub = ModelStub.start(false);
                BenchApp app = BenchApp.start(
                        jar,
                        String.join(
                                "\n",
                                "slug: bench",
                                "name: Benchmark",
                                "allowedOrigins: [" + ORIGIN + "]",
                                "model: { primary: { endpoint: stub, model: echo } }",
                                ""),
                        stub.baseUrl(),
                        "echo",
                        Map.of("SWITCHBOARD_WIDGET_RATE_LIMIT_CONVERSATIONS_PER_TENANT", "1000000"))) {
            run(app, sockets);
        }
        System.exit(0);
    }

    private static void run(BenchApp app, int count) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        System.out.printf(
                "machine: %d cores, Java %s; %,d sockets%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), count);
        List<String> tokens = new ArrayList<>(count);
        long startedConversations = System.nanoTime();
        for (int i = 0; i < count; i++) {
            tokens.add(startConversation(http, app).path("token").asText());
        }
        System.out.printf(
                "%,d conversations started in %.1f s%n", count, (System.nanoTime() - startedConversations) / 1e9);
        oneTurn(http, app); // loads the embedding model and warms the turn path
        long turnIdle = medianTurn(http, app);
        Memory idle = Memory.of(app, http);

        List<WebSocket> open = new ArrayList<>(count);
        AtomicInteger closedByServer = new AtomicInteger();
        long opening = System.nanoTime();
        for (int from = 0; from < count; from += OPENING_AT_ONCE) {
            List<CompletableFuture<WebSocket>> batch = new ArrayList<>();
            for (String token : tokens.subList(from, Math.min(count, from + OPENING_AT_ONCE))) {
                batch.add(http.newWebSocketBuilder()
                        .header("Origin", ORIGIN)
                        .connectTimeout(Duration.ofSeconds(10))
                        .buildAsync(
                                URI.create(
                                        app.baseUrl().replace("http://", "ws://") + "/ws/widget/bench?token=" + token),
                                new WebSocket.Listener() {
                                    @Override
                                    public CompletableFuture<?> onClose(WebSocket socket, int status, String reason) {
                                        closedByServer.incrementAndGet();
                                        return null;
                                    }
                                }));
            }
            for (CompletableFuture<WebSocket> socket : batch) {
                open.add(socket.get(30, TimeUnit.SECONDS));
            }
        }
        System.out.printf("%,d sockets opened in %.1f s%n", open.size(), (System.nanoTime() - opening) / 1e9);
        // Let the replica settle with every socket idle, as a quiet hour would.
        Thread.sleep(10_000);
        Memory loaded = Memory.of(app, http);

        long turnLoaded = medianTurn(http, app);
        System.out.println();
        System.out.println(
                "| measure | no sockets | " + String.format("%,d", count) + " idle sockets | ratio | per socket |");
        System.out.println("|---|---|---|---|---|");
        System.out.printf(
                "| RSS | %d MB | %d MB | %.2f | %.1f KB |%n",
                idle.rssMegabytes(),
                loaded.rssMegabytes(),
                (double) loaded.rssMegabytes() / idle.rssMegabytes(),
                (loaded.rssMegabytes() - idle.rssMegabytes()) * 1024.0 / count);
        System.out.printf(
                "| heap used | %d MB | %d MB | %.2f | %.1f KB |%n",
                idle.heapMegabytes(),
                loaded.heapMegabytes(),
                (double) loaded.heapMegabytes() / idle.heapMegabytes(),
                (loaded.heapMegabytes() - idle.heapMegabytes()) * 1024.0 / count);
        System.out.printf(
                "| chat turn over REST, median of %d | %.1f ms | %.1f ms | %.2f | |%n",
                TURNS, turnIdle / 1e6, turnLoaded / 1e6, (double) turnLoaded / turnIdle);
        System.out.printf("sockets the server closed while idle: %d%n", closedByServer.get());
        for (WebSocket socket : open) {
            socket.abort();
        }
    }

    private record Memory(long rssMegabytes, long heapMegabytes) {

        static Memory of(BenchApp app, HttpClient http) throws Exception {
            long rss = BenchApp.residentMegabytes(app.pid());
            String metrics = http.send(
                            HttpRequest.newBuilder(app.managementUri().resolve("/q/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            double heap = 0;
            Matcher used = HEAP_USED.matcher(metrics);
            while (used.find()) {
                heap += Double.parseDouble(used.group(1));
            }
            return new Memory(rss, (long) (heap / (1024 * 1024)));
        }
    }

    private static JsonNode startConversation(HttpClient http, BenchApp app) throws Exception {
        HttpResponse<String> started = http.send(
                HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/widget/bench/conversations"))
                        .header("Origin", ORIGIN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 201) {
            throw new IllegalStateException(
                    "Starting a conversation answered " + started.statusCode() + ": " + started.body());
        }
        return JSON.readTree(started.body());
    }

    private static long medianTurn(HttpClient http, BenchApp app) throws Exception {
        long[] nanos = new long[TURNS];
        for (int i = 0; i < TURNS; i++) {
            long started = System.nanoTime();
            oneTurn(http, app);
            nanos[i] = System.nanoTime() - started;
        }
        java.util.Arrays.sort(nanos);
        return nanos[TURNS / 2];
    }

    private static void oneTurn(HttpClient http, BenchApp app) throws Exception {
        JsonNode conversation = startConversation(http, app);
        HttpResponse<String> turn = http.send(
                HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/widget/bench/conversations/"
                                + conversation.path("conversationId").asText() + "/messages"))
                        .header("Origin", ORIGIN)
                        .header(
                                "Authorization",
                                "Bearer " + conversation.path("token").asText())
                        .header("Accept", "application/json")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hello there\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (turn.statusCode() != 200
                || JSON.readTree(turn.body()).at("/reply/text").asText().isEmpty()) {
            throw new IllegalStateException("The turn answered " + turn.statusCode() + ": " + turn.body());
        }
    }
}
