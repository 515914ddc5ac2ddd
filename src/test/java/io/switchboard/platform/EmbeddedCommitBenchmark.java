package io.switchboard.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.ModelStub;
import io.switchboard.testing.PackagedJar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What durable commits cost the embedded default: chat turns over the widget's REST API (echo
 * model of the stub) on the packaged jar with the embedded PostgreSQL committing synchronously
 * (the default) and relaxed ({@code SWITCHBOARD_EMBEDDED_SYNCHRONOUS_COMMIT=off}). The two settings
 * take turns, each on a fresh data folder, so both see the same machine. Loopback only.
 * Usage: EmbeddedCommitBenchmark <jar> [seconds per phase, default 20] [rounds, default 2] [conversation counts, default 1 20]
 */
public final class EmbeddedCommitBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "bench";
    private static final int WARMUP_SECONDS = 10;

    private record Phase(double turnsPerSecond, double p50Millis, double p99Millis) {}

    private EmbeddedCommitBenchmark() {}

    public static void main(String... args) throws Exception {
        Path jar = Path.of(args[0]);
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        List<Integer> counts = args.length > 3
                ? java.util.Arrays.stream(args).skip(3).map(Integer::parseInt).toList()
                : List.of(1, 20);
        Map<String, List<Phase>> results = new TreeMap<>();
        try (ModelStub stub = ModelStub.start()) {
            Path tenants = PackagedJar.tenantFiles(Files.createTempDirectory("commit-bench-tenants"), TENANT, "echo");
            for (int round = 0; round < rounds; round++) {
                for (String commit : round % 2 == 0 ? List.of("on", "off") : List.of("off", "on")) {
                    Map<String, String> environment = PackagedJar.embeddedEnvironment(
                            Files.createTempDirectory("commit-bench-data"), tenants, stub.baseUrl(), "echo");
                    environment.put("SWITCHBOARD_EMBEDDED_SYNCHRONOUS_COMMIT", commit);
                    environment.put("SWITCHBOARD_WIDGET_RATE_LIMIT_MESSAGES_PER_CONVERSATION", "1000000");
                    environment.put("SWITCHBOARD_WIDGET_RATE_LIMIT_MESSAGES_PER_TENANT", "1000000");
                    environment.put("SWITCHBOARD_WIDGET_RATE_LIMIT_MESSAGES_PER_ADDRESS", "1000000");
                    environment.put("SWITCHBOARD_WIDGET_RATE_LIMIT_CONVERSATIONS_PER_ADDRESS", "1000000");
                    PackagedJar app = PackagedJar.start(
                            jar, "1g", environment, Path.of("target", "bench-commit-" + commit + ".log"));
                    try {
                        for (int conversations : counts) {
                            load(app.uri(), conversations, WARMUP_SECONDS);
                            Phase phase = load(app.uri(), conversations, seconds);
                            results.computeIfAbsent(
                                            conversations + " conversations, synchronous_commit=" + commit,
                                            key -> new ArrayList<>())
                                    .add(phase);
                            System.out.printf(
                                    "round %d, synchronous_commit=%s, %d conversations: %.0f turns/s, p50 %.1f ms, p99 %.1f ms%n",
                                    round + 1,
                                    commit,
                                    conversations,
                                    phase.turnsPerSecond(),
                                    phase.p50Millis(),
                                    phase.p99Millis());
                        }
                    } finally {
                        app.process().destroy();
                        app.process().waitFor(60, TimeUnit.SECONDS);
                    }
                }
            }
        }
        System.out.printf(
                "machine: %d processors, %s %s; %d s per phase, %d rounds%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                seconds,
                rounds);
        for (int conversations : counts) {
            Phase on = best(results.get(conversations + " conversations, synchronous_commit=on"));
            Phase off = best(results.get(conversations + " conversations, synchronous_commit=off"));
            System.out.printf(
                    "%d conversations: synchronous %.0f turns/s (p50 %.1f ms, p99 %.1f ms), relaxed %.0f turns/s (p50 %.1f ms, p99 %.1f ms):"
                            + " throughput ratio %.2f, p50 ratio %.2f, p99 ratio %.2f%n",
                    conversations,
                    on.turnsPerSecond(),
                    on.p50Millis(),
                    on.p99Millis(),
                    off.turnsPerSecond(),
                    off.p50Millis(),
                    off.p99Millis(),
                    on.turnsPerSecond() / off.turnsPerSecond(),
                    on.p50Millis() / off.p50Millis(),
                    on.p99Millis() / off.p99Millis());
        }
    }

    /** The round with the most turns: the one the machine disturbed least. */
    private static Phase best(List<Phase> phases) {
        return phases.stream()
                .max(java.util.Comparator.comparingDouble(Phase::turnsPerSecond))
                .orElseThrow();
    }

    /** {@code conversations} customers, each sending its next message as soon as the last was answered, for {@code seconds}. */
    private static Phase load(URI platform, int conversations, int seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService customers = Executors.newFixedThreadPool(conversations);
        for (int customer = 0; customer < conversations; customer++) {
            customers.submit(() -> {
                JsonNode started = JSON.readTree(http.send(
                                HttpRequest.newBuilder(platform.resolve("/api/v1/widget/" + TENANT + "/conversations"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
                HttpRequest turn = HttpRequest.newBuilder(
                                platform.resolve("/api/v1/widget/" + TENANT + "/conversations/"
                                        + started.path("conversationId").asText() + "/messages"))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .header(
                                "Authorization",
                                "Bearer " + started.path("token").asText())
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"text\":\"where is my refund for the flat in Lisbon\"}"))
                        .build();
                while (running.get()) {
                    long sent = System.nanoTime();
                    if (http.send(turn, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        latencies.add(System.nanoTime() - sent);
                    }
                }
                return null;
            });
        }
        long started = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        running.set(false);
        long elapsed = System.nanoTime() - started;
        customers.shutdown();
        customers.awaitTermination(1, TimeUnit.MINUTES);
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Phase(
                sorted.size() / (elapsed / 1e9), percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6);
    }

    private static double percentile(List<Long> sorted, double quantile) {
        return sorted.isEmpty()
                ? Double.NaN
                : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * quantile)));
    }
}
