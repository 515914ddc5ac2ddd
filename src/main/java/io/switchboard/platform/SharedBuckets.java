package io.switchboard.platform;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Token buckets kept in PostgreSQL (bucket4j), so a limit holds across every replica: a client
 * that spreads its requests over the replicas behind a load balancer meets the same bucket. Each
 * use is one short transaction of its own, so callers use them outside their transactions.
 */
@ApplicationScoped
public class SharedBuckets {

    private static final Logger LOG = Logger.getLogger(SharedBuckets.class);
    private static final int EXPIRED_BATCH = 1000;

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    private final ScheduledExecutorService cleaner = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("shared-buckets-cleaner").daemon().factory());

    public SharedBuckets(DataSource dataSource) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_bucket")
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                // A bucket that has refilled is as good as none: its row may go.
                .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build();
    }

    /** Takes a token from the bucket, or refuses (429, with when to try again) when it is empty. */
    public static void takeOne(Bucket bucket, String detail) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(
                    1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
            throw new RateLimitedException(detail + "; try again in " + seconds + " s", seconds);
        }
    }

    /** The bucket named {@code key}: {@code capacity} tokens, refilled evenly over {@code period}. */
    public BucketProxy bucket(String key, long capacity, Duration period) {
        return buckets.builder()
                .build(
                        key,
                        () -> BucketConfiguration.builder()
                                .addLimit(Bandwidth.builder()
                                        .capacity(capacity)
                                        .refillGreedy(capacity, period)
                                        .build())
                                .build());
    }

    void startCleaning(@Observes StartupEvent started) {
        cleaner.scheduleWithFixedDelay(this::removeExpired, 1, 1, TimeUnit.MINUTES);
    }

    void stopCleaning(@Observes ShutdownEvent stopping) {
        cleaner.shutdownNow();
    }

    private void removeExpired() {
        try {
            while (buckets.removeExpired(EXPIRED_BATCH) == EXPIRED_BATCH) {
                // another full batch may be waiting
            }
        } catch (RuntimeException e) {
            LOG.warnf("Removing expired rate-limit buckets failed; retrying in a minute: %s", e.getMessage());
        }
    }
}
