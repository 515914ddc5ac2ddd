package io.switchboard.model;

import static io.switchboard.testing.BenchApp.ms;
import static io.switchboard.testing.BenchApp.percentile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.BenchApp;
import io.switchboard.testing.ModelStub;
import io.switchboard.testing.PackagedJar;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.IntPredicate;

/**
 * What {@code /v1/chat/completions} adds over calling the model server directly, measured in one
 * run against the packaged application on real PostgreSQL and the local stub (and, when its URL
 * is given, the Portkey gateway fronting the same stub). Usage: {@code <app jar> [portkey URL]}.
 * Loopback only; every phase is bounded in requests or seconds.
 */
public final class ChatCompletionsBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LATENCY_REQUESTS = 5000;
    /**
     * Per target, half streaming, after a throughput phase: on two cores the JIT compiler is still
     * busy after 2,000 calls, and its bursts, not the code under test, then made the tail of the latency phases.
     */
    private static final int WARMUP_REQUESTS = 20_000;
    /** What bounds a sequential phase of a slow target (Portkey takes about 29 ms to a streamed first token). */
    private static final Duration SEQUENTIAL_PHASE_LIMIT = Duration.ofSeconds(30);

    private static final Duration THROUGHPUT_PHASE = Duration.ofSeconds(10);

    /** A way to reach the stub: its URL, the headers that route through it, and the process in between (none when direct). */
    private record Target(String name, String url, Map<String, String> headers, Optional<ProcessHandle> process) {}

    /** Requests per second, and the CPU time the process in between spent per request. */
    private record Throughput(double perSecond, Optional<Double> cpuMillisPerRequest) {}

    private static final int CONNECTIONS = 32;

    /** The load generator: Vert.x's HTTP client on one event loop, so that its own cost per call stays small beside what it measures. */
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    /** Keep-alive connections, as an OpenAI client keeps: one for the calls one at a time, and one per loop of the throughput phases. */
    private final HttpClient oneConnection = client(1);

    private final HttpClient connections = client(CONNECTIONS);
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        String portkey = args.length > 1 ? args[1] : null;
        Optional<ProcessHandle> portkeyProcess =
                args.length > 2 ? ProcessHandle.of(Long.parseLong(args[2])) : Optional.empty();
        try (ModelStub stub = ModelStub.start(false);
                BenchApp app = BenchApp.start(
                        jar,
                        String.join(
                                "\n",
                                "slug: bench",
                                "name: Benchmark",
                                "allowedOrigins: [https://bench.example]",
                                "model: { primary: { endpoint: stub, model: bench-ttft-0 } }",
                                ""),
                        stub.baseUrl(),
                        "bench-ttft-0,bench-ttft-20",
                        Map.of("SWITCHBOARD_MODEL_TENANT_CONCURRENCY", "256"))) {
            new ChatCompletionsBenchmark()
                    .run(
                            stub.baseUrl(),
                            app.baseUrl(),
                            ProcessHandle.of(app.pid()),
                            tenantKey(app.baseUrl()),
                            portkey,
                            portkeyProcess);
        }
        System.exit(0);
    }

    private void run(
            String stubUrl,
            String switchboardUrl,
            Optional<ProcessHandle> switchboard,
            String tenantKey,
            String portkey,
            Optional<ProcessHandle> portkeyProcess)
            throws Exception {
        List<Target> targets = new ArrayList<>(List.of(
                new Target("stub directly", stubUrl + "/chat/completions", Map.of(), Optional.empty()),
                new Target(
                        "switchboard /v1",
                        switchboardUrl + "/v1/chat/completions",
                        Map.of("Authorization", "Bearer " + tenantKey),
                        switchboard)));
        if (portkey != null) {
            targets.add(new Target(
                    "portkey gateway",
                    portkey + "/v1/chat/completions",
                    Map.of(
                            "Authorization",
                            "Bearer dummy",
                            "x-portkey-provider",
                            "openai",
                            "x-portkey-custom-host",
                            stubUrl),
                    portkeyProcess));
        }
        System.out.printf(
                "Warming up (%d s at %d connections, then %d requests or %d s at one, half of them streaming, per target)%n",
                THROUGHPUT_PHASE.toSeconds(), CONNECTIONS, WARMUP_REQUESTS, SEQUENTIAL_PHASE_LIMIT.toSeconds());
        for (Target target : targets) {
            // Both shapes of load the phases measure: the JIT compiles what it sees, and recompiles when that changes.
            throughput(target, "bench-ttft-0", CONNECTIONS);
            sequentially(target, WARMUP_REQUESTS, i -> i % 2 == 0, (i, took) -> {});
        }

        // Throughput first: its tens of thousands of calls finish the JIT compiler's work before one connection
        // measures the tail.
        Map<String, Throughput> fastThroughput = new LinkedHashMap<>();
        Map<String, Throughput> slowThroughput = new LinkedHashMap<>();
        for (Target target : targets) {
            fastThroughput.put(target.name(), throughput(target, "bench-ttft-0", CONNECTIONS));
            slowThroughput.put(target.name(), throughput(target, "bench-ttft-20", CONNECTIONS));
        }
        Map<String, long[]> nonStreaming = new LinkedHashMap<>();
        Map<String, long[]> firstToken = new LinkedHashMap<>();
        for (Target target : targets) {
            nonStreaming.put(target.name(), latencies(target, false));
            firstToken.put(target.name(), latencies(target, true));
        }
        failures.forEach((name, count) -> System.out.printf(
                "%s: %d failed requests during the throughput phases (not counted)%n", name, count.sum()));

        long[] direct = nonStreaming.get("stub directly");
        long[] directTtft = firstToken.get("stub directly");
        System.out.println();
        System.out.println(
                "| through | non-streaming p50 / p99 (added over direct) | streaming time to first token p50 / p99 (added) "
                        + "| req/s, 32 connections, 0 ms stub (× direct) | req/s, 32 connections, 20 ms to first token (× direct) "
                        + "| its CPU per request, 0 ms stub |");
        System.out.println("|---|---|---|---|---|---|");
        double directFast = fastThroughput.get("stub directly").perSecond();
        double directSlow = slowThroughput.get("stub directly").perSecond();
        for (Target target : targets) {
            long[] own = nonStreaming.get(target.name());
            long[] ttft = firstToken.get(target.name());
            Throughput fast = fastThroughput.get(target.name());
            Throughput slow = slowThroughput.get(target.name());
            System.out.printf(
                    "| %s | %s / %s (%s / %s) | %s / %s (%s / %s) | %.0f (%.2f×) | %.0f (%.2f×) | %s |%n",
                    target.name(),
                    ms(percentile(own, 50)),
                    ms(percentile(own, 99)),
                    ms(percentile(own, 50) - percentile(direct, 50)),
                    ms(percentile(own, 99) - percentile(direct, 99)),
                    ms(percentile(ttft, 50)),
                    ms(percentile(ttft, 99)),
                    ms(percentile(ttft, 50) - percentile(directTtft, 50)),
                    ms(percentile(ttft, 99) - percentile(directTtft, 99)),
                    fast.perSecond(),
                    fast.perSecond() / directFast,
                    slow.perSecond(),
                    slow.perSecond() / directSlow,
                    fast.cpuMillisPerRequest()
                            .map(cpu -> String.format("%.3f ms", cpu))
                            .orElse("–"));
        }
    }

    /** One connection, one request at a time: the time to the whole answer, or to the first content token when streaming. */
    private long[] latencies(Target target, boolean streaming) {
        long[] nanos = new long[LATENCY_REQUESTS];
        int measured = sequentially(target, LATENCY_REQUESTS, i -> streaming, (i, took) -> nanos[i] = took);
        if (measured < LATENCY_REQUESTS) {
            System.out.printf(
                    "%s, %s: %d calls within %d s%n",
                    target.name(),
                    streaming ? "streaming" : "non-streaming",
                    measured,
                    SEQUENTIAL_PHASE_LIMIT.toSeconds());
        }
        long[] sorted = Arrays.copyOf(nanos, measured);
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * Calls the target {@code count} times, or as many as fit in {@link #SEQUENTIAL_PHASE_LIMIT},
     * each call after the previous one ended, all on the client's event loop; returns how many.
     */
    private int sequentially(Target target, int count, IntPredicate streaming, BiConsumer<Integer, Long> took) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        long deadline = System.nanoTime() + SEQUENTIAL_PHASE_LIMIT.toNanos();
        vertx.runOnContext(ignored -> callFrom(target, 0, count, deadline, streaming, took, done));
        return done.join();
    }

    private void callFrom(
            Target target,
            int index,
            int count,
            long deadline,
            IntPredicate streaming,
            BiConsumer<Integer, Long> took,
            CompletableFuture<Integer> done) {
        if (index == count || System.nanoTime() > deadline) {
            done.complete(index);
            return;
        }
        call(oneConnection, target, "bench-ttft-0", streaming.test(index)).onComplete(result -> {
            if (result.failed()) {
                done.completeExceptionally(result.cause());
                return;
            }
            took.accept(index, result.result());
            callFrom(target, index + 1, count, deadline, streaming, took, done);
        });
    }

    /** Calls in {@code connections} loops at once for the phase's length; counts the calls that ended within it. */
    private Throughput throughput(Target target, String model, int connections) throws InterruptedException {
        LongAdder completed = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch stopped = new CountDownLatch(connections);
        vertx.runOnContext(ignored -> {
            for (int i = 0; i < connections; i++) {
                keepCalling(target, model, running, completed, stopped);
            }
        });
        long started = System.nanoTime();
        long countedBefore = completed.sum();
        Optional<Duration> cpuBefore =
                target.process().flatMap(process -> process.info().totalCpuDuration());
        Thread.sleep(THROUGHPUT_PHASE.toMillis());
        long count = completed.sum() - countedBefore;
        Optional<Duration> cpuAfter =
                target.process().flatMap(process -> process.info().totalCpuDuration());
        double seconds = (System.nanoTime() - started) / 1e9;
        running.set(false);
        stopped.await();
        Optional<Double> cpuPerRequest = cpuBefore.flatMap(
                before -> cpuAfter.map(after -> after.minus(before).toNanos() / 1e6 / count));
        return new Throughput(count / seconds, cpuPerRequest);
    }

    private void keepCalling(
            Target target, String model, AtomicBoolean running, LongAdder completed, CountDownLatch stopped) {
        if (!running.get()) {
            stopped.countDown();
            return;
        }
        call(connections, target, model, false).onComplete(result -> {
            if (result.succeeded()) {
                completed.increment();
            } else {
                failures.computeIfAbsent(target.name(), name -> new LongAdder()).increment();
            }
            keepCalling(target, model, running, completed, stopped);
        });
    }

    /**
     * Nanoseconds to the complete answer, or to the first content token when streaming (the
     * call still reads the stream to its end, as a client does).
     */
    private Future<Long> call(HttpClient client, Target target, String model, boolean streaming) {
        // Through Switchboard a tenant names a catalogue model as <endpoint>/<model>.
        Buffer body =
                Buffer.buffer("{\"model\":\"" + (target.name().startsWith("switchboard") ? "stub/" + model : model)
                        + "\",\"stream\":" + streaming + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(target.url())
                .putHeader("Content-Type", "application/json");
        target.headers().forEach(options::putHeader);
        long started = System.nanoTime();
        return client.request(options).compose(request -> request.send(body)).compose(response -> {
            if (response.statusCode() != 200) {
                return response.body()
                        .compose(error -> Future.failedFuture(new IllegalStateException(
                                target.name() + " answered " + response.statusCode() + ": " + error)));
            }
            if (!streaming) {
                return response.body().map(ignored -> System.nanoTime() - started);
            }
            Promise<Long> firstToken = Promise.promise();
            long[] firstTokenAt = {0};
            response.handler(RecordParser.newDelimited("\n", line -> {
                if (firstTokenAt[0] == 0 && hasContent(line)) {
                    firstTokenAt[0] = System.nanoTime() - started;
                }
            }));
            response.exceptionHandler(firstToken::tryFail);
            response.endHandler(ignored -> {
                if (firstTokenAt[0] == 0) {
                    firstToken.tryFail(target.name() + " streamed no content");
                } else {
                    firstToken.tryComplete(firstTokenAt[0]);
                }
            });
            return firstToken.future();
        });
    }

    private HttpClient client(int maxConnections) {
        return vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(maxConnections));
    }

    /** Whether a line of the stream is an event with text, read as the application reads the model's events. */
    private static boolean hasContent(Buffer line) {
        byte[] bytes = line.getBytes();
        if (bytes.length < 7 || !new String(bytes, 0, 7, StandardCharsets.US_ASCII).equals("data: {")) {
            return false;
        }
        try {
            String content = StreamChunk.read(bytes, 6, bytes.length - 6).content();
            return content != null && !content.isEmpty();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    private static String tenantKey(String base) throws Exception {
        HttpResponse<String> created = java.net.http.HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/tenants/bench/api-keys"))
                                .header("Authorization", "Bearer " + PackagedJar.PLATFORM_KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"name\":\"benchmark\",\"roles\":[\"agent\"]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(created.body()).path("key").asText();
    }
}
