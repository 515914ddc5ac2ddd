package io.switchboard.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.switchboard.platform.RequestContexts;
import io.switchboard.platform.TenantScope;
import io.switchboard.platform.WorkLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
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
    /** Any fixed number: the advisory lock that makes one replica the publisher. */
    private static final long PUBLISHER_LOCK = 0x5b0a_4d0e_7e1aL;
    /**
     * Takes the publisher's lock and, for this transaction, makes the read of unpublished events
     * a plain index scan. Marking events published leaves dead entries at the head of the
     * unpublished index until vacuum comes; a plain index scan marks them dead once and skips
     * them afterwards, while the bitmap scan the planner prefers on stale statistics revisited
     * all of them and their heap pages on every read (18 ms per read with 160,000 of them
     * under load, 0.4 ms with the index scan).
     */
    private static final String PUBLISHER_AND_INDEX_SCAN = """
            select pg_try_advisory_xact_lock(?1), set_config('enable_bitmapscan', 'off', true),
                   set_config('enable_seqscan', 'off', true)""";

    private final EntityManager entities;
    private final AgroalDataSource database;
    private final MutinyEmitter<String> channel;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final WorkLoop loop = new WorkLoop("outbox-relay", BATCH, IDLE_POLL, this::publishAndPurge);
    private volatile boolean failing;
    private Instant lastPurge = Instant.EPOCH;

    public OutboxRelay(
            EntityManager entities,
            AgroalDataSource database,
            @Channel("domain-events") MutinyEmitter<String> channel,
            ObjectMapper json,
            MeterRegistry metrics) {
        this.entities = entities;
        this.database = database;
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
        // A server setting, not rows: a plain pooled connection, no transaction, no bypass of row-level security.
        try (Connection connection = database.getConnection();
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
            Object[] lockAndPlan = (Object[]) entities.createNativeQuery(PUBLISHER_AND_INDEX_SCAN)
                    .setParameter(1, PUBLISHER_LOCK)
                    .getSingleResult();
            if (!(Boolean) lockAndPlan[0]) {
                return 0;
            }
            List<OutboxEvent> pending = entities.createQuery(
                            "from OutboxEvent where publishedAt is null order by seq", OutboxEvent.class)
                    .setMaxResults(BATCH)
                    .getResultList();
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
                // One statement marks the whole batch, rather than one update per event.
                entities.createQuery("update OutboxEvent set publishedAt = :now where id in :published")
                        .setParameter("now", Instant.now())
                        .setParameter("published", published)
                        .executeUpdate();
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
                .call(() -> entities.createQuery("delete from OutboxEvent where publishedAt < :before")
                        .setParameter("before", Instant.now().minus(KEEP_PUBLISHED))
                        .executeUpdate());
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
