package io.switchboard.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.PackagedJar;
import io.switchboard.testing.PostgresResource;
import io.switchboard.testing.TinyGguf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image built from the packaged application: its configuration is what Kubernetes
 * expects, and its files alone run Switchboard. There is no container runtime on this machine
 * kind, so the image's layers are unpacked into a directory and the entry point is started there
 * with chroot, as user 185, with the image's environment and the tenant files mounted where the
 * Deployment mounts them: nothing from this machine's own filesystem is used.
 */
class ContainerImageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target", "image-it");
    private static final Path IMAGE = WORK.resolve("switchboard-image.tar");
    private static final Path ROOT = WORK.resolve("root");

    private static Map<String, byte[]> entries;
    private static JsonNode config;

    @BeforeAll
    static void buildTheImage() throws Exception {
        ContainerImage.build(Path.of("target", "quarkus-app"), WORK.resolve("build"), IMAGE, "switchboard:it");
        entries = read(Files.newInputStream(IMAGE));
        JsonNode manifest = JSON.readTree(entries.get("manifest.json")).get(0);
        config = JSON.readTree(entries.get(manifest.path("Config").asText())).path("config");
        Files.createDirectories(ROOT);
        for (JsonNode layer : manifest.path("Layers")) {
            unpack(
                    new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(entries.get(layer.asText()))),
                    ROOT);
        }
    }

    @AfterAll
    static void unmount() throws Exception {
        if (Files.isDirectory(ROOT.resolve("proc/self"))) {
            new ProcessBuilder("umount", ROOT.resolve("proc").toString())
                    .inheritIO()
                    .start()
                    .waitFor();
        }
    }

    @Test
    void theImageRunsAsANonRootUserWithTheApplicationAsEntryPoint() {
        assertThat(config.path("User").asText()).isEqualTo("185");
        assertThat(config.path("Entrypoint").toString()).contains("/opt/java/bin/java", "/deployments/quarkus-run.jar");
        assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.path("Env").toString())
                .doesNotContainIgnoringCase("password")
                .doesNotContainIgnoringCase("secret");
        assertThat(ROOT.resolve("deployments/quarkus-run.jar")).isRegularFile();
        assertThat(ROOT.resolve("opt/java/bin/java")).isExecutable();
        assertThat(ROOT.resolve("opt/java/bin/javac"))
                .as("a runtime, not a JDK")
                .doesNotExist();
    }

    @Test
    void theImageAloneStartsSwitchboardAgainstPostgresql() throws Exception {
        PostgresResource postgres = new PostgresResource();
        Map<String, String> database = postgres.start();
        Files.createDirectories(ROOT.resolve("proc"));
        assertThat(new ProcessBuilder(
                                "mount",
                                "-t",
                                "proc",
                                "proc",
                                ROOT.resolve("proc").toString())
                        .inheritIO()
                        .start()
                        .waitFor())
                .as("mounting /proc in the unpacked image")
                .isZero();
        int port = PackagedJar.freePort();
        int managementPort = PackagedJar.freePort();
        List<String> command = new ArrayList<>(List.of("chroot", "--userspec=185:185", ROOT.toString()));
        config.path("Entrypoint").forEach(part -> command.add(part.asText()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "image-it.log").toFile());
        builder.environment().clear();
        config.path("Env").forEach(variable -> {
            String[] pair = variable.asText().split("=", 2);
            builder.environment().put(pair[0], pair[1]);
        });
        builder.environment()
                .putAll(new HashMap<>(Map.of(
                        "SWITCHBOARD_DB_URL", database.get("quarkus.datasource.jdbc.url"),
                        "SWITCHBOARD_DB_OWNER_USER", database.get("quarkus.flyway.username"),
                        "SWITCHBOARD_HTTP_PORT", String.valueOf(port),
                        "SWITCHBOARD_MANAGEMENT_PORT", String.valueOf(managementPort),
                        "SWITCHBOARD_TENANTS_DIR", "/config/tenants-config")));
        // As the Kubernetes Deployment mounts its ConfigMaps.
        copyTree(Path.of("tenants-config"), ROOT.resolve("config/tenants-config"));
        // An in-process GGUF model, as an operator would mount one: llama.cpp's native code must load from the image's
        // libraries.
        Files.createDirectories(ROOT.resolve("models"));
        TinyGguf.write(ROOT.resolve("models/tiny.gguf"));
        String platformKey = "sbk_" + java.util.UUID.randomUUID().toString().replace("-", "");
        builder.environment().put("SWITCHBOARD_BOOTSTRAP_API_KEY", platformKey);
        builder.environment().put("SWITCHBOARD_MODEL_ENDPOINTS__TINY__PROVIDER", "local-gguf");
        builder.environment().put("SWITCHBOARD_MODEL_ENDPOINTS__TINY__MODEL_FILE", "/models/tiny.gguf");
        Process app = builder.start();
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> given().baseUri("http://127.0.0.1:" + managementPort)
                                    .get("/q/health/ready")
                                    .statusCode()
                            == 200);
            given().baseUri("http://127.0.0.1:" + managementPort)
                    .get("/q/health/started")
                    .then()
                    .statusCode(200);
            // The demo answers from its articles: the embedding model and the tokenizer's native code run inside the
            // image.
            String base = "http://127.0.0.1:" + port;
            var conversation = given().baseUri(base)
                    .contentType("application/json")
                    .body("{}")
                    .post("/api/v1/widget/demo/conversations")
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath();
            given().baseUri(base)
                    .contentType("application/json")
                    .accept("application/json")
                    .header("Authorization", "Bearer " + conversation.getString("token"))
                    .body(Map.of("text", "how do I cancel my booking?"))
                    .post("/api/v1/widget/demo/conversations/{id}/messages", conversation.getString("conversationId"))
                    .then()
                    .statusCode(200)
                    .body(
                            "reply.citations[0].title",
                            org.hamcrest.Matchers.equalTo("Cancelling a reservation as a guest"));
            given().baseUri(base)
                    .header("Authorization", "Bearer " + platformKey)
                    .post("/api/v1/model-endpoints/tiny/probe")
                    .then()
                    .statusCode(200)
                    .body("[0].model", org.hamcrest.Matchers.equalTo("tiny"))
                    .body("[0].streams", org.hamcrest.Matchers.equalTo(true))
                    .body("[0].reportsUsage", org.hamcrest.Matchers.equalTo(true));
        } finally {
            app.destroy();
            app.waitFor(60, TimeUnit.SECONDS);
            postgres.stop();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path path : files.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Map<String, byte[]> read(InputStream tar) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.isFile()) {
                    files.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return files;
    }

    /** Unpacks one layer, keeping file modes, as a container runtime does. */
    private static void unpack(InputStream layer, Path root) throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(layer)) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = root.resolve(entry.getName()).normalize();
                assertThat(target.startsWith(root))
                        .as("%s stays inside the image", entry.getName())
                        .isTrue();
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                Files.setPosixFilePermissions(
                        target, java.nio.file.attribute.PosixFilePermissions.fromString(permissions(entry.getMode())));
            }
        }
    }

    private static String permissions(int mode) {
        String letters = "rwxrwxrwx";
        StringBuilder permissions = new StringBuilder();
        for (int bit = 0; bit < 9; bit++) {
            permissions.append((mode & (1 << (8 - bit))) != 0 ? letters.charAt(bit) : '-');
        }
        return permissions.toString();
    }
}
