package io.switchboard.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.BenchApp;
import io.switchboard.testing.PackagedJar;
import io.switchboard.testing.PostgresResource;
import java.io.IOException;
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
 * The embedded default as a newcomer starts it (the README's first command runs this jar): the
 * time from starting the process to ready and to the demo's first answered question, and the
 * resident memory once idle — first start (empty data directory: the embedded PostgreSQL is
 * created and the demo help centre embedded), restart (both already there), and as baseline the
 * same first start on the local PostgreSQL instead of the embedded one. Memory is the application's
 * proportional set size plus that of the embedded PostgreSQL's processes.
 * Usage: {@code <app jar>}. Loopback only.
 */
public final class StartupBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration IDLE = Duration.ofSeconds(10);

    private record Start(double readySeconds, double answerSeconds, long idleMegabytes) {}

    private StartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path data = Files.createTempDirectory("switchboard-startup");
        System.out.printf(
                "machine: %d cores, Java %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        Start first = start(jar, Map.of("SWITCHBOARD_DATA_DIR", data.toString()), data);
        Start restart = start(jar, Map.of("SWITCHBOARD_DATA_DIR", data.toString()), data);
        PostgresResource postgres = new PostgresResource();
        Map<String, String> database = postgres.start();
        Start external;
        try {
            external = start(
                    jar,
                    Map.of(
                            "SWITCHBOARD_DB_URL",
                            database.get("quarkus.datasource.jdbc.url"),
                            "SWITCHBOARD_DB_OWNER_USER",
                            database.get("quarkus.flyway.username")),
                    null);
        } finally {
            postgres.stop();
        }
        System.out.println();
        System.out.println(
                "| start | to ready | to the first answer | idle memory (Pss, with its own processes) | × local PostgreSQL (ready / answer / memory) |");
        System.out.println("|---|---|---|---|---|");
        for (var row : new Object[][] {
            {"embedded, first start", first},
            {"embedded, restart", restart},
            {"local PostgreSQL, first start", external}
        }) {
            Start measured = (Start) row[1];
            System.out.printf(
                    "| %s | %.1f s | %.1f s | %d MB | %.2f / %.2f / %.2f |%n",
                    row[0],
                    measured.readySeconds(),
                    measured.answerSeconds(),
                    measured.idleMegabytes(),
                    measured.readySeconds() / external.readySeconds(),
                    measured.answerSeconds() / external.answerSeconds(),
                    (double) measured.idleMegabytes() / external.idleMegabytes());
        }
        System.exit(0);
    }

    /** Starts the jar; {@code embeddedData} is the embedded PostgreSQL's data directory, or null when it uses the local one. */
    private static Start start(Path jar, Map<String, String> settings, Path embeddedData) throws Exception {
        int port = PackagedJar.freePort();
        int managementPort = PackagedJar.freePort();
        String base = "http://127.0.0.1:" + port;
        ProcessBuilder builder = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "--add-modules",
                "jdk.incubator.vector",
                "-jar",
                jar.toString());
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("SWITCHBOARD_HTTP_PORT", String.valueOf(port));
        environment.put("SWITCHBOARD_MANAGEMENT_PORT", String.valueOf(managementPort));
        environment.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
        environment.put(
                "SWITCHBOARD_TENANTS_DIR",
                Path.of("tenants-config").toAbsolutePath().toString());
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true)
                .redirectOutput(Path.of("target", "bench-startup.log").toFile());
        HttpClient http = HttpClient.newHttpClient();
        long started = System.nanoTime();
        Process app = builder.start();
        try {
            while (status(http, "http://127.0.0.1:" + managementPort + "/q/health/ready") != 200) {
                if (!app.isAlive()
                        || System.nanoTime() - started > Duration.ofMinutes(5).toNanos()) {
                    throw new IllegalStateException(
                            "The application did not become ready; see target/bench-startup.log");
                }
                Thread.sleep(50);
            }
            double ready = (System.nanoTime() - started) / 1e9;
            askTheDemo(http, base);
            double answered = (System.nanoTime() - started) / 1e9;
            Thread.sleep(IDLE.toMillis());
            List<ProcessHandle> processes = new ArrayList<>(List.of(app.toHandle()));
            if (embeddedData != null) {
                // pg_ctl detaches the embedded server from the JVM: find it by its data directory.
                ProcessHandle.allProcesses()
                        .filter(process -> process.info()
                                .commandLine()
                                .orElse("")
                                .contains(embeddedData.resolve("pg").toString()))
                        .filter(process -> process.parent()
                                .map(parent -> parent.pid() == 1)
                                .orElse(false))
                        .forEach(processes::add);
            }
            return new Start(ready, answered, BenchApp.proportionalMegabytes(processes));
        } finally {
            app.destroy();
            app.waitFor();
        }
    }

    private static void askTheDemo(HttpClient http, String base) throws Exception {
        JsonNode conversation = JSON.readTree(http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/widget/demo/conversations"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        HttpResponse<String> turn = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/widget/demo/conversations/"
                                + conversation.path("conversationId").asText() + "/messages"))
                        .header(
                                "Authorization",
                                "Bearer " + conversation.path("token").asText())
                        .header("Accept", "application/json")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"how do I cancel my booking?\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (turn.statusCode() != 200
                || JSON.readTree(turn.body()).at("/reply/citations").isEmpty()) {
            throw new IllegalStateException(
                    "The demo did not answer from its articles: " + turn.statusCode() + " " + turn.body());
        }
    }

    private static int status(HttpClient http, String url) throws InterruptedException {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException notYet) {
            return 0;
        }
    }
}
