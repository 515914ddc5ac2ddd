package io.switchboard.assistant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Model tokens per contact per hour and per tenant per minute, as token buckets. A turn may start
 * while its buckets hold any tokens; what it used is charged afterwards, possibly into debt, so
 * the next turn waits until the debt is refilled. In memory per replica, like the widget's
 * message limits: with N replicas a contact can spend up to N times the rate, at most.
 */
@ApplicationScoped
public class TokenRates {

    private static final int MAX_BUCKETS = 100_000;

    private final Cache<String, Bucket> buckets =
            Caffeine.newBuilder().maximumSize(MAX_BUCKETS).build();

    /** The rate limit a new turn would break, if any. */
    public Optional<ConsumptionLimits.Limit> exceeded(UUID tenantId, UUID contactId, ConsumptionLimits limits) {
        if (contact(contactId, limits).getAvailableTokens() <= 0) {
            return Optional.of(ConsumptionLimits.Limit.CONTACT_TOKEN_RATE);
        }
        if (tenant(tenantId, limits).getAvailableTokens() <= 0) {
            return Optional.of(ConsumptionLimits.Limit.TENANT_TOKEN_RATE);
        }
        return Optional.empty();
    }

    /** Charges the tokens a turn used to its contact and tenant. */
    public void charge(UUID tenantId, UUID contactId, ConsumptionLimits limits, long tokens) {
        if (tokens > 0) {
            contact(contactId, limits).consumeIgnoringRateLimits(tokens);
            tenant(tenantId, limits).consumeIgnoringRateLimits(tokens);
        }
    }

    private Bucket contact(UUID contactId, ConsumptionLimits limits) {
        return bucket("contact:" + contactId, limits.tokensPerContactPerHour(), Duration.ofHours(1));
    }

    private Bucket tenant(UUID tenantId, ConsumptionLimits limits) {
        return bucket("tenant:" + tenantId, limits.tokensPerTenantPerMinute(), Duration.ofMinutes(1));
    }

    /** The capacity is part of the key, so a tenant that changes its limit gets a bucket of the new size. */
    private Bucket bucket(String owner, long capacity, Duration period) {
        return buckets.get(
                owner + ":" + capacity,
                key -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(capacity)
                                .refillGreedy(capacity, period)
                                .build())
                        .build());
    }
}
