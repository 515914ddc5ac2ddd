package io.switchboard.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The packaged application's jar in a child JVM on a free loopback port, as the integration tests
 * of the jar and the benchmarks run it: on a database of the local PostgreSQL, with a directory of
 * tenant files and the model stub as its only model server.
 */
public record PackagedJar(URI uri, URI management, Process process) {

    /** The platform-admin key every such run is started with. */
    public static final String PLATFORM_KEY = "sbk_packaged_jar_platform_key_0123456789";

    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    /** The settings of a run on a database of the local PostgreSQL; callers add their own. */
    public static Map<String, String> environment(
            Map<String, String> database, Path tenantsDirectory, String stubUrl, String stubModels) {
        Map<String, String> environment = shared(tenantsDirectory, stubUrl, stubModels);
        environment.put("SWITCHBOARD_DB_URL", database.get("quarkus.datasource.jdbc.url"));
        environment.put("SWITCHBOARD_DB_OWNER_USER", database.get("quarkus.flyway.username"));
        return environment;
    }

    /** The settings of the embedded default: no database URL, the embedded PostgreSQL's data under {@code dataDirectory}. */
    public static Map<String, String> embeddedEnvironment(
            Path dataDirectory, Path tenantsDirectory, String stubUrl, String stubModels) {
        Map<String, String> environment = shared(tenantsDirectory, stubUrl, stubModels);
        environment.put("SWITCHBOARD_DATA_DIR", dataDirectory.toString());
        return environment;
    }

    /** What every run shares: loopback, the tenant files, the platform key, the model stub as the only model server. */
    private static Map<String, String> shared(Path tenantsDirectory, String stubUrl, String stubModels) {
        return new HashMap<>(Map.of(
                "SWITCHBOARD_HTTP_HOST",
                "127.0.0.1",
                "SWITCHBOARD_TENANTS_DIR",
                tenantsDirectory.toString(),
                "SWITCHBOARD_BOOTSTRAP_API_KEY",
                PLATFORM_KEY,
                "SWITCHBOARD_MODEL_ALLOWED_HOSTS",
                "127.0.0.1",
                "SWITCHBOARD_MODEL_ENDPOINTS__STUB__BASE_URL",
                stubUrl,
                "SWITCHBOARD_MODEL_ENDPOINTS__STUB__MODELS",
                stubModels));
    }

    /** A tenant file for {@code slug} answering with the stub's {@code model}, in a new directory of tenant files. */
    public static Path tenantFiles(Path directory, String slug, String model) throws IOException {
        java.nio.file.Files.createDirectories(directory);
        java.nio.file.Files.writeString(
                directory.resolve(slug + ".yaml"),
                String.join(
                        "\n",
                        "slug: " + slug,
                        "name: Tenant " + slug,
                        "allowedOrigins: [https://shop.example]",
                        "model: { primary: { endpoint: stub, model: " + model + " } }",
                        ""));
        return directory;
    }

    /** Runs the jar's own command (such as {@code backup file}) with these settings; its exit status and output. */
    public static Command run(Path jar, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(
                java.util.List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString()));
        command.addAll(java.util.List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Command(process.waitFor(), output);
    }

    /** A finished command of the jar. */
    public record Command(int exitStatus, String output) {}

    /** Starts the jar with these settings and its output in {@code log}; returns once {@code /q/health/ready} answers 200 on its management port. */
    public static PackagedJar start(Path jar, String maxHeap, Map<String, String> environment, Path log)
            throws IOException, InterruptedException {
        int port = freePort();
        int managementPort = freePort();
        // The same Java options as the start command (./switchboard).
        ProcessBuilder builder = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + maxHeap,
                "--add-modules",
                "jdk.incubator.vector",
                "-jar",
                jar.toString());
        builder.environment().putAll(environment);
        builder.environment().put("SWITCHBOARD_HTTP_PORT", String.valueOf(port));
        builder.environment().put("SWITCHBOARD_MANAGEMENT_PORT", String.valueOf(managementPort));
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        PackagedJar started = new PackagedJar(
                URI.create("http://127.0.0.1:" + port),
                URI.create("http://127.0.0.1:" + managementPort),
                builder.start());
        started.awaitReady(log);
        return started;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady(Path log) throws IOException, InterruptedException {
        HttpClient probe = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (probe.send(
                                        HttpRequest.newBuilder(management.resolve("/q/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        process.destroy();
        throw new IllegalStateException(
                "The packaged application did not become ready within " + READY_WITHIN + "; see " + log);
    }
}
