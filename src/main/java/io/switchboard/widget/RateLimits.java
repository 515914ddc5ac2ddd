package io.switchboard.widget;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.switchboard.conversation.ContactDetails;
import io.switchboard.conversation.ConversationTokens;
import io.switchboard.platform.SharedBuckets;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * Token buckets for the public widget API: per client address, per customer (contact), per
 * conversation and per tenant,
 * so one noisy customer or one tenant's traffic cannot starve the rest. A client's own buckets
 * are taken from first, so a client over its limit never uses up its tenant's. Client-address
 * and customer buckets are shared by all replicas; the others are in memory per replica, where the least
 * recently used are forgotten beyond {@link #MAX_BUCKETS}.
 */
@ApplicationScoped
public class RateLimits {

    private static final int MAX_BUCKETS = 100_000;
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final WidgetConfig config;
    private final SharedBuckets shared;
    private final Cache<String, Bucket> buckets =
            Caffeine.newBuilder().maximumSize(MAX_BUCKETS).build();

    public RateLimits(WidgetConfig config, SharedBuckets shared) {
        this.config = config;
        this.shared = shared;
    }

    /** @param clientAddress the customer's address (as the trusted proxy forwarded it), null when unknown */
    public void message(UUID tenantId, ConversationTokens.OpenConversation conversation, String clientAddress) {
        if (clientAddress != null) {
            take(
                    shared.bucket(
                            "widget-messages:" + tenantId + ":" + clientAddress,
                            config.rateLimit().messagesPerAddress(),
                            MINUTE),
                    "Too many messages from your network");
        }
        take(
                shared.bucket(
                        "widget-contact-messages:" + tenantId + ":" + conversation.contactId(),
                        config.rateLimit().messagesPerContact(),
                        MINUTE),
                "Too many messages from you right now");
        take(
                local("conversation:" + conversation.id(), config.rateLimit().messagesPerConversation()),
                "Too many messages in this conversation");
        take(
                local("tenant-messages:" + tenantId, config.rateLimit().messagesPerTenant()),
                "Too many messages for this site right now");
    }

    /**
     * @param contact the customer as verified (a signed-in user of the tenant's site), null when anonymous
     * @param clientAddress the customer's address (as the trusted proxy forwarded it), null when unknown
     */
    public void conversationStart(UUID tenantId, ContactDetails contact, String clientAddress) {
        if (clientAddress != null) {
            take(
                    shared.bucket(
                            "widget-starts:" + tenantId + ":" + clientAddress,
                            config.rateLimit().conversationsPerAddress(),
                            MINUTE),
                    "Too many new conversations from your network");
        }
        if (contact != null && contact.verified() && contact.id() != null) {
            take(
                    shared.bucket(
                            "widget-contact-starts:" + tenantId + ":" + contact.id(),
                            config.rateLimit().conversationsPerContact(),
                            MINUTE),
                    "Too many new conversations from you right now");
        }
        take(
                local("tenant-starts:" + tenantId, config.rateLimit().conversationsPerTenant()),
                "Too many new conversations for this site right now");
    }

    private Bucket local(String key, int perMinute) {
        return buckets.get(
                key,
                k -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(perMinute)
                                .refillGreedy(perMinute, MINUTE)
                                .build())
                        .build());
    }

    private static void take(Bucket bucket, String detail) {
        SharedBuckets.takeOne(bucket, detail);
    }
}
