package io.switchboard.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.switchboard.platform.RequestContexts;
import io.switchboard.platform.ScopedConnections;
import io.switchboard.platform.TenantScope;
import io.switchboard.platform.WorkLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox in order: woken after every commit that recorded an event, and every
 * second anyway, it sends unpublished events on the {@code domain-events} channel (Kafka in
 * production, in-process otherwise) and marks each published once the broker acknowledged it.
 * When the broker is down, events wait in the outbox and nothing is lost; one replica at a time
 * publishes (a PostgreSQL advisory lock), so events leave in the order they were written.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    /** Published events are kept this long for inspection, then deleted. */
    private static final Duration KEEP_PUBLISHED = Duration.ofDays(3);

    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final OutboxEventRepository events;
    private final ScopedConnections connections;
    private final MutinyEmitter<String> channel;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final WorkLoop loop = new WorkLoop("outbox-relay", BATCH, IDLE_POLL, this::publishAndPurge);
    private volatile boolean failing;
    private Instant lastPurge = Instant.EPOCH;

    public OutboxRelay(
            OutboxEventRepository events,
            ScopedConnections connections,
            @Channel("domain-events") MutinyEmitter<String> channel,
            ObjectMapper json,
            MeterRegistry metrics) {
        this.events = events;
        this.connections = connections;
        this.channel = channel;
        this.json = json;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent started) {
        warnWithoutAutovacuum();
        loop.start();
    }

    /**
     * Each published event leaves a dead row, and a dead entry in the unpublished index, that only
     * a vacuum removes; so does each update of a conversation. Without autovacuum they pile up and
     * every read of the relay slows, so a database that runs without it is named at startup.
     */
    private void warnWithoutAutovacuum() {
        // A server setting, not rows: no transaction, and the platform scope reads no tenant's rows here.
        try (Connection connection = connections.forPlatform("autovacuum setting");
                Statement show = connection.createStatement();
                ResultSet autovacuum = show.executeQuery("show autovacuum")) {
            if (autovacuum.next() && !"on".equals(autovacuum.getString(1))) {
                LOG.warn(
                        "PostgreSQL runs with autovacuum off: published events and updated conversations leave dead rows that nothing"
                                + " removes, and publishing events slows as they pile up. Turn autovacuum on (PostgreSQL's default) or vacuum"
                                + " the database on a schedule");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read PostgreSQL's autovacuum setting", e);
        }
    }

    /**
     * Flushes before the replica goes: what its last turns recorded is published now rather than
     * when another replica's relay next looks (nothing would be lost either way).
     */
    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        loop.stop(SEND_TIMEOUT);
        long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
        int published;
        do {
            published = publishAndPurge();
        } while (published == BATCH && System.nanoTime() < deadline);
    }

    void nudge(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Recorded recorded) {
        loop.wakeUp();
    }

    private int publishAndPurge() {
        try {
            return TenantScope.asPlatform(
                    "outbox relay",
                    () -> RequestContexts.within(() -> {
                        int published = publishBatch();
                        purgeIfDue();
                        return published;
                    }));
        } catch (RuntimeException e) {
            LOG.warnf("Publishing the outbox failed; retrying: %s", e.getMessage());
            return 0;
        }
    }

    /** Publishes the oldest unpublished events; returns how many were published. */
    int publishBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (!events.becomePublisher()) {
                return 0;
            }
            List<OutboxEvent> pending = events.oldestUnpublished(BATCH);
            // All of the batch is handed to the channel before any acknowledgement is awaited: Kafka's
            // producer keeps their order (idempotent, per partition) and batches them, where waiting
            // for each in turn paid its linger and round trip per event (130-160 events/s).
            List<CompletableFuture<Void>> sends =
                    pending.stream().map(this::send).toList();
            List<UUID> published = new ArrayList<>();
            // One deadline for the batch keeps the transaction well within its timeout, or its marks would roll back.
            long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
            for (int i = 0; i < pending.size() && acknowledged(pending.get(i), sends.get(i), deadline); i++) {
                // Only the acknowledged head of the batch is marked: whatever follows a refusal is sent
                // again later, and consumers drop what they have seen (delivery is at least once).
                published.add(pending.get(i).id);
            }
            if (!published.isEmpty()) {
                events.markPublished(published, Instant.now());
                metrics.counter("switchboard.events.published").increment(published.size());
            }
            return published.size();
        });
    }

    private CompletableFuture<Void> send(OutboxEvent event) {
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.type)
                .withKey(event.key)
                .withHeaders(headers(event))
                .build();
        Message<String> message;
        try {
            message = Message.of(json.writeValueAsString(DomainEvent.of(event))).addMetadata(kafka);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Event " + event.id + " cannot be written as JSON", e);
        }
        try {
            return channel.sendMessage(message).subscribeAsCompletionStage();
        } catch (RuntimeException refused) {
            // A channel that refuses at once is a refusal like any other: the events before it are still marked.
            return CompletableFuture.failedFuture(refused);
        }
    }

    private boolean acknowledged(OutboxEvent event, CompletableFuture<Void> send, long deadline) {
        try {
            send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (failing) {
                failing = false;
                LOG.info("Publishing events again");
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            if (!failing) {
                failing = true;
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                LOG.warnf(
                        "The event channel refused event %s; events wait in the outbox: %s",
                        event.id, cause.getMessage());
            }
            return false;
        }
    }

    private void purgeIfDue() {
        if (Instant.now().isBefore(lastPurge.plus(PURGE_EVERY))) {
            return;
        }
        lastPurge = Instant.now();
        int deleted = QuarkusTransaction.requiringNew()
                .call(() -> events.deletePublishedBefore(Instant.now().minus(KEEP_PUBLISHED)));
        if (deleted > 0) {
            LOG.infof("Deleted %d published events older than %d days", deleted, KEEP_PUBLISHED.toDays());
        }
    }

    private static RecordHeaders headers(OutboxEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("event-id", event.id.toString().getBytes(StandardCharsets.UTF_8));
        if (event.tenantId != null) {
            headers.add("tenant-id", event.tenantId.toString().getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }
}
