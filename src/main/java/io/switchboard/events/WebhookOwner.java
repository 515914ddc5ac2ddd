package io.switchboard.events;

import io.switchboard.platform.EndpointAddressPolicy;

/**
 * A feature above that keeps webhooks of its own (an API channel's callbacks): it queues their
 * deliveries itself ({@link WebhookService#deliverOwned}) and says which addresses they may reach.
 */
public interface WebhookOwner {

    /** What the owner's webhooks are marked with. */
    String owner();

    /** The addresses the owner's webhooks may be delivered to. */
    EndpointAddressPolicy addresses();
}
