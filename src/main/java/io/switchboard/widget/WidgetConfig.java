package io.switchboard.widget;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The widget's settings. */
@ConfigMapping(prefix = "switchboard.widget")
public interface WidgetConfig {

    /**
     * On SIGTERM, how long customer turns and model calls in progress may take to finish before
     * widgets are told to reconnect elsewhere and the replica stops.
     */
    Duration shutdownTimeout();

    RateLimit rateLimit();

    /**
     * Limits of the public widget API. Per conversation and per tenant they are counted on each
     * replica; per client address and per customer they are shared by all replicas (in PostgreSQL), so
     * one client cannot use up a tenant's limits however it spreads its requests.
     */
    interface RateLimit {

        /** Messages one conversation may send per minute (then {@code 429} with {@code Retry-After}), per replica. */
        @WithDefault("20")
        int messagesPerConversation();

        /** Messages all of a tenant's customers together may send per minute, per replica. */
        @WithDefault("1200")
        int messagesPerTenant();

        /** Conversations a tenant's widget may start per minute, per replica. */
        @WithDefault("300")
        int conversationsPerTenant();

        /**
         * Conversations one client address may start per minute on one tenant's widget, across all
         * replicas; checked before the tenant's limit, so one client cannot use it up.
         */
        @WithDefault("30")
        int conversationsPerAddress();

        /** Messages one client address may send per minute to one tenant, over all its conversations, across all replicas. */
        @WithDefault("300")
        int messagesPerAddress();

        /**
         * Conversations one verified customer (a signed-in user of the tenant's site) may start per
         * minute, across all replicas.
         */
        @WithDefault("10")
        int conversationsPerContact();

        /** Messages one customer may send per minute, over all their conversations, across all replicas. */
        @WithDefault("60")
        int messagesPerContact();
    }
}
