package io.switchboard.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.events.WebhookOwner;
import io.switchboard.events.WebhookService;
import io.switchboard.events.WebhookTests;
import io.switchboard.platform.EndpointAddressPolicy;
import io.switchboard.platform.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The API channel: the tenant's server posts its customers' messages with the channel's bearer
 * token ({@link ChannelMessages}) and receives every bot, agent and system message and state
 * change of the channel's conversations at its callback URL, through an owned webhook: signed with
 * the channel's signing secret, retried with backoff and listed per delivery like every webhook.
 */
@ApplicationScoped
public class ApiChannel implements ChannelType, WebhookOwner {

    public static final String TYPE = "api";
    private static final String CALLBACK_URL = "callbackUrl";
    /** The {@code Switchboard-Event-Type} of a test callback sent from the console. */
    public static final String TEST_EVENT = "channel.test";

    private final WebhookService webhooks;
    private final WebhookTests tests;
    private final ObjectMapper json;
    private final EndpointAddressPolicy addresses;

    public ApiChannel(WebhookService webhooks, WebhookTests tests, ObjectMapper json, ChannelsConfig config) {
        this.webhooks = webhooks;
        this.tests = tests;
        this.json = json;
        this.addresses = new EndpointAddressPolicy(
                config.allowedHosts().orElse(List.of()), "SWITCHBOARD_CHANNELS_ALLOWED_HOSTS", false);
    }

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public String owner() {
        return "channel";
    }

    @Override
    public EndpointAddressPolicy addresses() {
        return addresses;
    }

    @Override
    public Map<String, String> create(Channel channel, ChannelRequest request) {
        if (request.callbackUrl() == null || request.callbackUrl().isBlank()) {
            throw ProblemException.invalid(CALLBACK_URL, "is required");
        }
        String url = checked(request.callbackUrl());
        WebhookService.Created callbacks = webhooks.createOwned(this, url, "callbacks of channel " + channel.id);
        channel.webhookId = callbacks.id();
        channel.settings = Map.of(CALLBACK_URL, url);
        return Map.of("token", ChannelService.newToken(channel), "signingSecret", callbacks.secret());
    }

    @Override
    public Map<String, String> change(Channel channel, ChannelRequest request) {
        if (request.callbackUrl() != null) {
            String url = checked(request.callbackUrl());
            webhooks.moveOwned(channel.webhookId, url);
            channel.settings = Map.of(CALLBACK_URL, url);
        }
        return Boolean.TRUE.equals(request.rotateToken())
                ? Map.of("token", ChannelService.newToken(channel))
                : Map.of();
    }

    @Override
    public void delete(Channel channel) {
        if (channel.webhookId != null) {
            webhooks.deleteOwned(channel.webhookId);
        }
    }

    @Override
    public Map<String, Object> describe(Channel channel) {
        return Map.of(CALLBACK_URL, channel.settings.get(CALLBACK_URL));
    }

    /** POSTs {@code {channelId, test: true}} to the callback URL at once, signed as every callback. */
    @Override
    public Optional<WebhookService.Attempt> sendTest(Channel channel) {
        ObjectNode body =
                json.createObjectNode().put("channelId", channel.id.toString()).put("test", true);
        return Optional.of(tests.testOwned(channel.webhookId, TEST_EVENT, body.toString()));
    }

    /** Queues the callback {@code {channelId, conversationId, contactId, message?, state}}. */
    @Override
    public void conversationChanged(Channel channel, ConversationUpdate update) throws InterruptedException {
        if (channel.webhookId == null) {
            return;
        }
        ObjectNode body = json.createObjectNode()
                .put("channelId", channel.id.toString())
                .put("conversationId", update.conversationId().toString())
                .put("contactId", update.contactId());
        if (update.message() != null) {
            body.set("message", update.message());
        }
        body.put("state", update.state());
        webhooks.deliverOwned(UUID.fromString(channel.tenantId), channel.webhookId, update.event(), body.toString());
    }

    private String checked(String callbackUrl) {
        String url = callbackUrl.strip();
        addresses.problemWith(url).ifPresent(problem -> {
            throw ProblemException.invalid(CALLBACK_URL, problem);
        });
        return url;
    }
}
