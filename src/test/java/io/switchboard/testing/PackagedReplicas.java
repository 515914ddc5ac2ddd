package io.switchboard.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replicas of the packaged application (its jar, in child JVMs) on one PostgreSQL, one Kafka
 * broker and one model stub, as a cluster runs them behind a load balancer without sticky
 * sessions. One tenant, from a tenant file, answers with the stub model the caller names.
 */
public final class PackagedReplicas implements AutoCloseable {

    public static final String PLATFORM_KEY = "sbk_packaged_replicas_platform_key_0123456789";

    /** A running replica: where it listens and its process. */
    public record Replica(String name, URI uri, Process process) {
    }

    private final List<Replica> replicas = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>();
    private final PostgresResource postgres = new PostgresResource();
    private ModelStub stub;
    private KafkaBroker kafka;

    private PackagedReplicas() {
    }

    public static PackagedReplicas forTenant(String tenant, String model) throws IOException {
        PackagedReplicas cluster = new PackagedReplicas();
        Map<String, String> database = cluster.postgres.start();
        cluster.stub = ModelStub.start();
        cluster.kafka = KafkaBroker.start();
        Path tenants = Files.createTempDirectory("switchboard-replicas-tenants");
        Files.writeString(tenants.resolve(tenant + ".yaml"), String.join("\n",
                "slug: " + tenant,
                "name: Replicated tenant",
                "allowedOrigins: [https://shop.example]",
                "model: { primary: { endpoint: stub, model: " + model + " } }",
                ""));
        cluster.environment.putAll(Map.of(
                "SWITCHBOARD_DB_URL", database.get("quarkus.datasource.jdbc.url"),
                "SWITCHBOARD_DB_OWNER_USER", database.get("quarkus.flyway.username"),
                "SWITCHBOARD_TENANTS_DIR", tenants.toString(),
                "SWITCHBOARD_BOOTSTRAP_API_KEY", PLATFORM_KEY,
                "SWITCHBOARD_EVENTS_CONNECTOR", "smallrye-kafka",
                "KAFKA_BOOTSTRAP_SERVERS", cluster.kafka.bootstrapServers(),
                "SWITCHBOARD_MODEL_ALLOWED_HOSTS", "127.0.0.1",
                "SWITCHBOARD_MODEL_ENDPOINTS__STUB__BASE_URL", cluster.stub.baseUrl(),
                "SWITCHBOARD_MODEL_ENDPOINTS__STUB__MODELS", String.join(",", ModelStub.MODELS)));
        return cluster;
    }

    /**
     * Starts a replica and waits until it is ready. Start them one after the other: the first
     * applies the migrations and the tenant file, the next find them done.
     */
    public Replica start(String name) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m", "-jar",
                System.getProperty("switchboard.jar", "target/quarkus-app/quarkus-run.jar"));
        builder.environment().putAll(environment);
        builder.environment().put("SWITCHBOARD_HTTP_PORT", String.valueOf(port));
        builder.redirectErrorStream(true).redirectOutput(log(name).toFile());
        Replica replica = new Replica(name, URI.create("http://127.0.0.1:" + port), builder.start());
        replicas.add(replica);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> given().baseUri(replica.uri().toString()).get("/q/health/ready").statusCode() == 200);
        return replica;
    }

    /** Where a replica's output goes. */
    public static Path log(String name) {
        return Path.of("target", "replica-" + name + ".log");
    }

    @Override
    public void close() {
        replicas.forEach(replica -> replica.process().destroy());
        for (Replica replica : replicas) {
            try {
                replica.process().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
        if (stub != null) {
            stub.close();
        }
        postgres.stop();
    }
}
