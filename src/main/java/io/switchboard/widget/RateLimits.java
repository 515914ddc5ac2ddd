package io.switchboard.widget;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.switchboard.platform.RateLimitedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Token buckets for the public widget API: per conversation and per tenant, so one noisy
 * customer or one tenant's traffic cannot starve the rest. In memory per replica; the least
 * recently used buckets are forgotten beyond {@link #MAX_BUCKETS}.
 */
@ApplicationScoped
public class RateLimits {

    private static final int MAX_BUCKETS = 100_000;
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final WidgetConfig config;
    private final Map<String, Bucket> buckets = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_BUCKETS;
        }
    });

    public RateLimits(WidgetConfig config) {
        this.config = config;
    }

    public void message(UUID tenantId, UUID conversationId) {
        take("conversation:" + conversationId, config.messagesPerConversation(), "Too many messages in this conversation");
        take("tenant-messages:" + tenantId, config.messagesPerTenant(), "Too many messages for this site right now");
    }

    public void conversationStart(UUID tenantId) {
        take("tenant-starts:" + tenantId, config.conversationsPerTenant(), "Too many new conversations for this site right now");
    }

    private void take(String key, int perMinute, String detail) {
        Bucket bucket = buckets.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, MINUTE).build()).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
            throw new RateLimitedException(detail + "; try again in " + seconds + " s", seconds);
        }
    }
}
