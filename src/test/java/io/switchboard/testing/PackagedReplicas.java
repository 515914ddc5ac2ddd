package io.switchboard.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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

    private final List<PackagedJar> replicas = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>();
    private final PostgresResource postgres = new PostgresResource();
    private ModelStub stub;
    private KafkaBroker kafka;

    private PackagedReplicas() {}

    public static PackagedReplicas forTenant(String tenant, String model) throws IOException {
        PackagedReplicas cluster = new PackagedReplicas();
        Map<String, String> database = cluster.postgres.start();
        cluster.stub = ModelStub.start();
        cluster.kafka = KafkaBroker.start();
        Path tenants = Files.createTempDirectory("switchboard-replicas-tenants");
        Files.writeString(
                tenants.resolve(tenant + ".yaml"),
                String.join(
                        "\n",
                        "slug: " + tenant,
                        "name: Replicated tenant",
                        "allowedOrigins: [https://shop.example]",
                        "model: { primary: { endpoint: stub, model: " + model + " } }",
                        ""));
        cluster.environment.putAll(
                PackagedJar.environment(database, tenants, cluster.stub.baseUrl(), String.join(",", ModelStub.MODELS)));
        cluster.environment.put("SWITCHBOARD_EVENTS_CONNECTOR", "smallrye-kafka");
        cluster.environment.put("KAFKA_BOOTSTRAP_SERVERS", cluster.kafka.bootstrapServers());
        return cluster;
    }

    /**
     * Starts a replica and waits until it is ready. Start them one after the other: the first
     * applies the migrations and the tenant file, the next find them done.
     */
    public PackagedJar start(String name) throws IOException, InterruptedException {
        PackagedJar replica = PackagedJar.start(
                Path.of(System.getProperty("switchboard.jar", "target/quarkus-app/quarkus-run.jar")),
                "512m",
                environment,
                log(name));
        replicas.add(replica);
        return replica;
    }

    /** A connection to the replicas' database, as the owner of its tables. */
    public Connection connectToDatabase() throws SQLException {
        return DriverManager.getConnection(
                environment.get("SWITCHBOARD_DB_URL"), environment.get("SWITCHBOARD_DB_OWNER_USER"), "");
    }

    /** Where a replica's output goes. */
    public static Path log(String name) {
        return Path.of("target", "replica-" + name + ".log");
    }

    @Override
    public void close() {
        replicas.forEach(replica -> replica.process().destroy());
        for (PackagedJar replica : replicas) {
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
