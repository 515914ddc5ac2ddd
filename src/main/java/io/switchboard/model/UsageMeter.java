package io.switchboard.model;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.platform.ScopedConnections;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Meters every model call per tenant, day, model and source, and knows what a tenant has spent
 * this month. Calls add to counters in memory; a background flush writes them in one batch a
 * second, so metering never waits on the database while a customer waits on an answer.
 */
@Singleton
public class UsageMeter {

    private static final Logger LOG = Logger.getLogger(UsageMeter.class);
    private static final long FLUSH_MILLIS = 1000;
    /** How long a month-to-date sum read from the database is trusted before it is read again. */
    private static final long SPEND_CACHE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private record Key(UUID tenantId, LocalDate day, String endpoint, String model, ModelRequest.Source source) {}

    /** Amounts not yet written; changed only inside the map's atomic compute, so a flush never loses an addition. */
    private static final class Amounts {
        long requests;
        long estimatedRequests;
        long inputTokens;
        long outputTokens;
        BigDecimal costUsd = BigDecimal.ZERO;

        Amounts add(long requests, long estimatedRequests, long inputTokens, long outputTokens, BigDecimal costUsd) {
            this.requests += requests;
            this.estimatedRequests += estimatedRequests;
            this.inputTokens += inputTokens;
            this.outputTokens += outputTokens;
            this.costUsd = this.costUsd.add(costUsd);
            return this;
        }

        Amounts add(Amounts other) {
            return add(other.requests, other.estimatedRequests, other.inputTokens, other.outputTokens, other.costUsd);
        }
    }

    private record StoredSpend(LocalDate month, BigDecimal costUsd, long readAt) {}

    private final ScopedConnections connections;
    private final Map<Key, Amounts> pending = new ConcurrentHashMap<>();
    private final Map<UUID, StoredSpend> storedSpend = new ConcurrentHashMap<>();
    /** Held while amounts move from memory to the database, when neither place alone holds them all. */
    private final ReentrantLock flushLock = new ReentrantLock();

    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("usage-flush").daemon().factory());

    public UsageMeter(ScopedConnections connections) {
        this.connections = connections;
    }

    void start(@Observes StartupEvent started) {
        flusher.scheduleWithFixedDelay(this::flushQuietly, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        flusher.shutdown();
        flushQuietly();
    }

    /** Counts one model call. */
    public void record(UUID tenantId, ModelRef model, ModelRequest.Source source, ModelService.Usage usage) {
        Key key = new Key(tenantId, today(), model.endpoint(), model.model(), source);
        pending.compute(
                key,
                (k, amounts) -> (amounts == null ? new Amounts() : amounts)
                        .add(
                                1,
                                usage.estimated() ? 1 : 0,
                                usage.inputTokensOrZero(),
                                usage.outputTokensOrZero(),
                                usage.costUsd()));
    }

    /**
     * This month's spending when it is known without waiting: read from the database within the
     * last moments, and no flush under way. Empty otherwise, and the caller asks {@link #spentThisMonth} off the event loop.
     */
    public Optional<BigDecimal> recentSpendThisMonth(UUID tenantId) {
        if (!flushLock.tryLock()) {
            return Optional.empty();
        }
        try {
            LocalDate month = today().withDayOfMonth(1);
            StoredSpend stored = storedSpend.get(tenantId);
            return isFresh(stored, month)
                    ? Optional.of(stored.costUsd().add(unwritten(tenantId, month)))
                    : Optional.empty();
        } finally {
            flushLock.unlock();
        }
    }

    /**
     * What the tenant's model calls have cost since the first of this month (UTC), including calls
     * not yet written. Under the flush lock: a flush moving amounts from memory to the database
     * between the two reads would otherwise hide them from both.
     */
    public BigDecimal spentThisMonth(UUID tenantId) {
        flushLock.lock();
        try {
            LocalDate month = today().withDayOfMonth(1);
            StoredSpend stored = storedSpend.get(tenantId);
            if (!isFresh(stored, month)) {
                stored = new StoredSpend(month, readSpend(tenantId, month), System.nanoTime());
                storedSpend.put(tenantId, stored);
            }
            return stored.costUsd().add(unwritten(tenantId, month));
        } finally {
            flushLock.unlock();
        }
    }

    /** Whether a month-to-date sum read earlier is this month's and recent enough to trust. */
    private static boolean isFresh(StoredSpend stored, LocalDate month) {
        return stored != null
                && stored.month().equals(month)
                && System.nanoTime() - stored.readAt() <= SPEND_CACHE_NANOS;
    }

    private BigDecimal unwritten(UUID tenantId, LocalDate month) {
        return pending.entrySet().stream()
                .filter(entry -> entry.getKey().tenantId().equals(tenantId)
                        && !entry.getKey().day().isBefore(month))
                .map(entry -> entry.getValue().costUsd)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Metered use of the OpenAI-compatible API per model over UTC days, both included. */
    public List<ApiUsage> apiUsage(UUID tenantId, LocalDate from, LocalDate to) {
        String sql = """
                select endpoint, model, sum(requests), sum(estimated_requests), sum(input_tokens), sum(output_tokens), sum(cost_usd)
                from model_usage where tenant_id = ? and source = 'api' and day between ? and ?
                group by endpoint, model order by endpoint, model""";
        List<ApiUsage> usage = new ArrayList<>();
        try (Connection connection = connections.forTenant(tenantId);
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, tenantId);
            query.setDate(2, Date.valueOf(from));
            query.setDate(3, Date.valueOf(to));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    usage.add(new ApiUsage(
                            rows.getString(1),
                            rows.getString(2),
                            rows.getLong(3),
                            rows.getLong(5),
                            rows.getLong(6),
                            rows.getBigDecimal(7),
                            rows.getLong(4) > 0));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading API usage failed", e);
        }
        return usage;
    }

    /** One model's use through the OpenAI-compatible API. */
    public record ApiUsage(
            String endpoint,
            String model,
            long requests,
            long inputTokens,
            long outputTokens,
            BigDecimal costUsd,
            boolean includesEstimatedTokens) {}

    /** Writes everything counted so far; what cannot be written is kept for the next flush. */
    public void flush() throws SQLException {
        flushLock.lock();
        try {
            flushBatch();
        } finally {
            flushLock.unlock();
        }
    }

    private void flushBatch() throws SQLException {
        Map<Key, Amounts> batch = new java.util.HashMap<>();
        for (Key key : List.copyOf(pending.keySet())) {
            Amounts amounts = pending.remove(key);
            if (amounts != null) {
                batch.put(key, amounts);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            write(batch);
            batch.keySet().forEach(key -> storedSpend.remove(key.tenantId()));
        } catch (SQLException | RuntimeException e) {
            batch.forEach((key, amounts) -> pending.merge(key, amounts, Amounts::add));
            throw e;
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Writing model usage failed; kept for the next attempt: %s", e.getMessage());
        }
    }

    /** A tenant deleted meanwhile (its last calls still in memory) is skipped rather than failing the batch. */
    private void write(Map<Key, Amounts> batch) throws SQLException {
        String upsert = """
                insert into model_usage (tenant_id, day, endpoint, model, source, requests, estimated_requests, input_tokens,
                    output_tokens, cost_usd)
                select t.id, ?, ?, ?, ?, ?, ?, ?, ?, ? from tenant t where t.id = ?
                on conflict (tenant_id, day, endpoint, model, source) do update set
                    requests = model_usage.requests + excluded.requests,
                    estimated_requests = model_usage.estimated_requests + excluded.estimated_requests,
                    input_tokens = model_usage.input_tokens + excluded.input_tokens,
                    output_tokens = model_usage.output_tokens + excluded.output_tokens,
                    cost_usd = model_usage.cost_usd + excluded.cost_usd""";
        try (Connection connection = connections.forPlatform("metering");
                PreparedStatement statement = connection.prepareStatement(upsert)) {
            connection.setAutoCommit(false);
            for (Map.Entry<Key, Amounts> entry : batch.entrySet()) {
                Key key = entry.getKey();
                Amounts amounts = entry.getValue();
                statement.setDate(1, Date.valueOf(key.day()));
                statement.setString(2, key.endpoint());
                statement.setString(3, key.model());
                statement.setString(4, key.source().id());
                statement.setLong(5, amounts.requests);
                statement.setLong(6, amounts.estimatedRequests);
                statement.setLong(7, amounts.inputTokens);
                statement.setLong(8, amounts.outputTokens);
                statement.setBigDecimal(9, amounts.costUsd);
                statement.setObject(10, key.tenantId());
                statement.addBatch();
            }
            statement.executeBatch();
            connection.commit();
        }
    }

    private BigDecimal readSpend(UUID tenantId, LocalDate month) {
        try (Connection connection = connections.forTenant(tenantId);
                PreparedStatement query = connection.prepareStatement(
                        "select coalesce(sum(cost_usd), 0) from model_usage where tenant_id = ? and day >= ?")) {
            query.setObject(1, tenantId);
            query.setDate(2, Date.valueOf(month));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getBigDecimal(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the month's model spending failed", e);
        }
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }
}
