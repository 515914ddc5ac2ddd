package io.switchboard.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged application as the benchmarks run it: its jar in a child JVM on loopback, on a
 * fresh database of the local PostgreSQL, with one tenant whose file the benchmark writes and the
 * model stub as its only model server. Also the figures' arithmetic, the same for every benchmark.
 */
public final class BenchApp implements AutoCloseable {

    public static final String PLATFORM_KEY = "sbk_benchmark_platform_key_0123456789";

    private final PostgresResource postgres = new PostgresResource();
    private final Process process;
    private final String baseUrl;
    private final Map<String, String> database;

    private BenchApp(Path jar, String tenantFile, String stubUrl, String stubModels, Map<String, String> settings) throws Exception {
        database = postgres.start();
        Path tenants = Files.createTempDirectory("switchboard-bench-tenants");
        Files.writeString(tenants.resolve("bench.yaml"), tenantFile);
        int port = freePort();
        Map<String, String> environment = new HashMap<>(Map.of(
                "SWITCHBOARD_DB_URL", database.get("quarkus.datasource.jdbc.url"),
                "SWITCHBOARD_DB_OWNER_USER", database.get("quarkus.flyway.username"),
                "SWITCHBOARD_HTTP_PORT", String.valueOf(port),
                "SWITCHBOARD_HTTP_HOST", "127.0.0.1",
                "SWITCHBOARD_TENANTS_DIR", tenants.toString(),
                "SWITCHBOARD_BOOTSTRAP_API_KEY", PLATFORM_KEY,
                "SWITCHBOARD_MODEL_ALLOWED_HOSTS", "127.0.0.1",
                "SWITCHBOARD_MODEL_ENDPOINTS__STUB__BASE_URL", stubUrl,
                "SWITCHBOARD_MODEL_ENDPOINTS__STUB__MODELS", stubModels));
        environment.putAll(settings);
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g", "-jar", jar.toString());
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true).redirectOutput(Path.of("target", "bench-app.log").toFile());
        process = builder.start();
        baseUrl = "http://127.0.0.1:" + port;
        awaitReady();
    }

    /** Starts the jar with the tenant file {@code bench.yaml} and extra environment settings; returns once it is ready. */
    public static BenchApp start(Path jar, String tenantFile, String stubUrl, String stubModels, Map<String, String> settings)
            throws Exception {
        return new BenchApp(jar, tenantFile, stubUrl, stubModels, settings);
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The JDBC URL of the application's database, to count what it stored. */
    public String jdbcUrl() {
        return database.get("quarkus.datasource.jdbc.url");
    }

    public String jdbcUser() {
        return database.get("quarkus.flyway.username");
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady() throws Exception {
        HttpClient probe = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (probe.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("The application did not become ready; see target/bench-app.log");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
        postgres.stop();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Resident memory of a process (VmRSS), in MB. */
    public static long residentMegabytes(long pid) throws IOException {
        return statusField(pid, "VmRSS:");
    }

    /**
     * Memory of processes and all their descendants, each counted for its proportional share of
     * shared pages (Pss), so memory they share is counted once; in MB.
     */
    public static long proportionalMegabytes(List<ProcessHandle> processes) throws IOException {
        long kilobytes = 0;
        List<ProcessHandle> all = new ArrayList<>(processes);
        processes.forEach(process -> process.descendants().forEach(all::add));
        for (ProcessHandle process : all) {
            Path rollup = Path.of("/proc", String.valueOf(process.pid()), "smaps_rollup");
            if (Files.exists(rollup)) {
                for (String line : Files.readAllLines(rollup)) {
                    if (line.startsWith("Pss:")) {
                        kilobytes += Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            }
        }
        return kilobytes / 1024;
    }

    private static long statusField(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /** The given percentile of already sorted values. */
    public static long percentile(long[] sorted, int percent) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    public static String ms(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }
}
