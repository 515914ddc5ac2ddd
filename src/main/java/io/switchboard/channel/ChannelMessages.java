package io.switchboard.channel;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.assistant.DeferredTurns;
import io.switchboard.assistant.ReceivedMessage;
import io.switchboard.conversation.ContactDetails;
import io.switchboard.conversation.ConversationService;
import io.switchboard.platform.BackgroundWork;
import io.switchboard.platform.LogContext;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.SharedBuckets;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Customers' messages a tenant's server posts into one of its channels: the contact is found or
 * created (verified: the server vouches for its own user id), continues its open conversation on
 * the channel or starts one, the message is stored before the answer, and the bot answers (or a
 * person is called in, when the channel has the bot off) on a worker, never on the request.
 */
@ApplicationScoped
public class ChannelMessages {

    private static final Logger LOG = Logger.getLogger(ChannelMessages.class);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** The stored message and the conversation it went into. */
    public record Accepted(UUID conversationId, UUID messageId) {}

    private final ChannelService channels;
    private final TenantService tenants;
    private final ConversationService conversations;
    private final DeferredTurns assistant;
    private final BackgroundWork workers;
    private final SharedBuckets buckets;
    private final ChannelsConfig config;
    private final MeterRegistry metrics;

    public ChannelMessages(
            ChannelService channels,
            TenantService tenants,
            ConversationService conversations,
            DeferredTurns assistant,
            BackgroundWork workers,
            SharedBuckets buckets,
            ChannelsConfig config,
            MeterRegistry metrics) {
        this.channels = channels;
        this.tenants = tenants;
        this.conversations = conversations;
        this.assistant = assistant;
        this.workers = workers;
        this.buckets = buckets;
        this.config = config;
        this.metrics = metrics;
    }

    /** Refused (401) alike for an unknown channel, a wrong or revoked token, and another channel's token. */
    public Accepted post(UUID channelId, String token, ContactDetails contact, String text) {
        UUID tenantId = channels.tenantOpenedBy(channelId, token).orElseThrow(ChannelMessages::unauthorized);
        TenantSettings tenant = tenants.findById(tenantId).orElseThrow(ChannelMessages::unauthorized);
        return TenantScope.call(tenantId, () -> {
            ChannelService.Settings channel = channels.settings(channelId).orElseThrow(ChannelMessages::unauthorized);
            SharedBuckets.takeOne(
                    buckets.bucket(
                            "channel-contact-messages:" + channelId + ":" + contact.id(),
                            config.rateLimit().messagesPerContact(),
                            MINUTE),
                    "Too many messages from this contact right now");
            SharedBuckets.takeOne(
                    buckets.bucket(
                            "channel-messages:" + channelId, config.rateLimit().messagesPerChannel(), MINUTE),
                    "Too many messages into this channel right now");
            ConversationService.Joined joined = conversations.join(channel.channel(), contact);
            try (LogContext log = LogContext.of(tenant.slug(), joined.id())) {
                if (joined.started()) {
                    greet(tenant, channel, joined.id());
                }
                ReceivedMessage received = assistant.receive(tenant, joined.id(), text);
                workers.run(() -> answer(tenant, channel, joined.id(), received));
                metrics.counter(
                                "switchboard.channel.messages",
                                "tenant",
                                tenant.slug(),
                                "type",
                                channel.channel().type())
                        .increment();
                return new Accepted(joined.id(), received.message().id());
            }
        });
    }

    private void greet(TenantSettings tenant, ChannelService.Settings channel, UUID conversationId) {
        String greeting = channel.greeting() != null ? channel.greeting() : tenant.greeting();
        if (greeting != null && !greeting.isBlank()) {
            conversations.notice(conversationId, known -> greeting);
        }
    }

    private void answer(
            TenantSettings tenant, ChannelService.Settings channel, UUID conversationId, ReceivedMessage received) {
        try (LogContext log = LogContext.of(tenant.slug(), conversationId)) {
            if (channel.botAnswers()) {
                assistant.answer(tenant, received, fragment -> {});
            } else {
                assistant.toPerson(tenant, received);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Answering a channel message failed");
        }
    }

    private static ProblemException unauthorized() {
        return new ProblemException(ProblemType.UNAUTHORIZED, "A valid channel token is required");
    }
}
