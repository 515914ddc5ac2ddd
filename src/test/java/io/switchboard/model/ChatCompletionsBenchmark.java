package io.switchboard.model;

import static io.switchboard.testing.BenchApp.ms;
import static io.switchboard.testing.BenchApp.percentile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.BenchApp;
import io.switchboard.testing.PackagedJar;
import io.switchboard.testing.ModelStub;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@code /v1/chat/completions} adds over calling the model server directly, measured in one
 * run against the packaged application on real PostgreSQL and the local stub (and, when its URL
 * is given, the Portkey gateway fronting the same stub). Usage: {@code <app jar> [portkey URL]}.
 * Loopback only; every phase is bounded in requests or seconds.
 */
public final class ChatCompletionsBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LATENCY_REQUESTS = 3000;
    private static final int WARMUP_REQUESTS = 2000;
    private static final Duration THROUGHPUT_PHASE = Duration.ofSeconds(10);

    /** A way to reach the stub: its URL and the headers that route through it. */
    private record Target(String name, String url, Map<String, String> headers) {
    }

    private final Map<String, LongAdder> failures = new java.util.concurrent.ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        // Keep one idle connection per load thread, as a pooling client would.
        System.setProperty("http.maxConnections", "64");
        Path jar = Path.of(args[0]);
        String portkey = args.length > 1 ? args[1] : null;
        try (ModelStub stub = ModelStub.start(false);
                BenchApp app = BenchApp.start(jar, String.join("\n", "slug: bench", "name: Benchmark",
                        "allowedOrigins: [https://bench.example]", "model: { primary: { endpoint: stub, model: bench-ttft-0 } }", ""),
                        stub.baseUrl(), "bench-ttft-0,bench-ttft-20", Map.of("SWITCHBOARD_MODEL_TENANT_CONCURRENCY", "256"))) {
            new ChatCompletionsBenchmark().run(stub.baseUrl(), app.baseUrl(), tenantKey(app.baseUrl()), portkey);
        }
        System.exit(0);
    }

    private void run(String stubUrl, String switchboardUrl, String tenantKey, String portkey) throws Exception {
        List<Target> targets = new ArrayList<>(List.of(
                new Target("stub directly", stubUrl + "/chat/completions", Map.of()),
                new Target("switchboard /v1", switchboardUrl + "/v1/chat/completions", Map.of("Authorization", "Bearer " + tenantKey))));
        if (portkey != null) {
            targets.add(new Target("portkey gateway", portkey + "/v1/chat/completions", Map.of("Authorization", "Bearer dummy",
                    "x-portkey-provider", "openai", "x-portkey-custom-host", stubUrl)));
        }
        System.out.printf("Warming up (%d requests per target)%n", WARMUP_REQUESTS);
        for (Target target : targets) {
            for (int i = 0; i < WARMUP_REQUESTS; i++) {
                call(target, "bench-ttft-0", false);
            }
        }

        Map<String, long[]> nonStreaming = new LinkedHashMap<>();
        Map<String, long[]> firstToken = new LinkedHashMap<>();
        for (Target target : targets) {
            nonStreaming.put(target.name(), latencies(target, false));
            firstToken.put(target.name(), latencies(target, true));
        }
        Map<String, Double> fastThroughput = new LinkedHashMap<>();
        Map<String, Double> slowThroughput = new LinkedHashMap<>();
        for (Target target : targets) {
            fastThroughput.put(target.name(), throughput(target, "bench-ttft-0", 32));
            slowThroughput.put(target.name(), throughput(target, "bench-ttft-20", 32));
        }
        failures.forEach((name, count) -> System.out.printf("%s: %d failed requests during the throughput phases (not counted)%n",
                name, count.sum()));

        long[] direct = nonStreaming.get("stub directly");
        long[] directTtft = firstToken.get("stub directly");
        System.out.println();
        System.out.println("| through | non-streaming p50 / p99 (added over direct) | streaming time to first token p50 / p99 (added) "
                + "| req/s, 32 connections, 0 ms stub (× direct) | req/s, 32 connections, 20 ms to first token (× direct) |");
        System.out.println("|---|---|---|---|---|");
        for (Target target : targets) {
            long[] own = nonStreaming.get(target.name());
            long[] ttft = firstToken.get(target.name());
            System.out.printf("| %s | %s / %s (%s / %s) | %s / %s (%s / %s) | %.0f (%.2f×) | %.0f (%.2f×) |%n", target.name(),
                    ms(percentile(own, 50)), ms(percentile(own, 99)),
                    ms(percentile(own, 50) - percentile(direct, 50)), ms(percentile(own, 99) - percentile(direct, 99)),
                    ms(percentile(ttft, 50)), ms(percentile(ttft, 99)),
                    ms(percentile(ttft, 50) - percentile(directTtft, 50)), ms(percentile(ttft, 99) - percentile(directTtft, 99)),
                    fastThroughput.get(target.name()), fastThroughput.get(target.name()) / fastThroughput.get("stub directly"),
                    slowThroughput.get(target.name()), slowThroughput.get(target.name()) / slowThroughput.get("stub directly"));
        }
    }

    /** One connection, one request at a time: the time to the whole answer, or to the first content token when streaming. */
    private long[] latencies(Target target, boolean streaming) throws Exception {
        long[] nanos = new long[LATENCY_REQUESTS];
        for (int i = 0; i < LATENCY_REQUESTS; i++) {
            nanos[i] = call(target, "bench-ttft-0", streaming);
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private double throughput(Target target, String model, int connections) throws Exception {
        LongAdder completed = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> loops = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                loops.add(callers.submit(() -> {
                    while (running.get()) {
                        try {
                            call(target, model, false);
                            completed.increment();
                        } catch (IOException | IllegalStateException failed) {
                            failures.computeIfAbsent(target.name(), name -> new LongAdder()).increment();
                        }
                    }
                    return null;
                }));
            }
            long started = System.nanoTime();
            Thread.sleep(THROUGHPUT_PHASE.toMillis());
            running.set(false);
            long count = completed.sum();
            double seconds = (System.nanoTime() - started) / 1e9;
            for (Future<?> loop : loops) {
                loop.get();
            }
            return count / seconds;
        }
    }

    /**
     * Nanoseconds to the complete answer, or to the first content token when streaming. Plain
     * HttpURLConnection: it keeps connections alive per thread and reads a stream line by line.
     */
    private long call(Target target, String model, boolean streaming) throws IOException {
        // Through Switchboard a tenant names a catalogue model as <endpoint>/<model>.
        String body = "{\"model\":\"" + (target.name().startsWith("switchboard") ? "stub/" + model : model) + "\",\"stream\":" + streaming
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
        long started = System.nanoTime();
        HttpURLConnection connection = (HttpURLConnection) URI.create(target.url()).toURL().openConnection();
        connection.setConnectTimeout(5000);
        connection.setReadTimeout(30_000);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        target.headers().forEach(connection::setRequestProperty);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        int status = connection.getResponseCode();
        if (status != 200) {
            try (InputStream error = connection.getErrorStream()) {
                throw new IllegalStateException(target.name() + " answered " + status + ": "
                        + (error == null ? "" : new String(error.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
            if (!streaming) {
                lines.transferTo(java.io.Writer.nullWriter());
                return System.nanoTime() - started;
            }
            long firstToken = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (firstToken == 0 && line.startsWith("data: {") && hasContent(line.substring(6))) {
                    firstToken = System.nanoTime() - started;
                }
            }
            return firstToken;
        }
    }

    private static boolean hasContent(String data) throws IOException {
        JsonNode choices = JSON.readTree(data).path("choices");
        return choices.size() > 0 && !choices.get(0).path("delta").path("content").asText("").isEmpty();
    }

    private static String tenantKey(String base) throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tenants/bench/api-keys"))
                .header("Authorization", "Bearer " + PackagedJar.PLATFORM_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"benchmark\",\"roles\":[\"agent\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(created.body()).path("key").asText();
    }
}
