package io.switchboard.channel;

import io.switchboard.events.WebhookService;
import java.util.Map;
import java.util.Optional;

/**
 * One kind of channel (the widget, an API channel, later email), discovered through CDI by its
 * {@link #id()}: it checks and keeps a channel's own settings and passes the channel's
 * conversations on to the customer on the other side. Conversation, assistant and hand-off code
 * see only a channel's id and type; everything a type means lives behind this interface.
 */
public interface ChannelType {

    /** What conversations record and requests name: {@code widget}, {@code api}. */
    String id();

    /**
     * The name of the channel of this type every tenant has without adding it (the widget, whose
     * id is the tenant's), or empty for a type whose channels tenants add.
     */
    default Optional<String> implicitName() {
        return Optional.empty();
    }

    /**
     * Checks a new channel's own settings in {@code request} and sets it up (in the caller's
     * transaction); returns what is shown once (a token, a signing secret).
     */
    Map<String, String> create(Channel channel, ChannelRequest request);

    /** Applies a change of the channel's own settings; returns credentials made anew (shown once), if any. */
    Map<String, String> change(Channel channel, ChannelRequest request);

    /**
     * Sends the customer's side a test now (an API channel: a signed test callback) and says how
     * it went; empty for a type with nothing to test. Called outside any transaction.
     */
    default Optional<WebhookService.Attempt> sendTest(Channel channel) {
        return Optional.empty();
    }

    /** Releases what {@link #create} set up, before the channel is deleted. */
    void delete(Channel channel);

    /** The channel's own settings as an admin reads them: never a secret. */
    Map<String, Object> describe(Channel channel);

    /**
     * A message or a state change of one of the channel's conversations, for the customer;
     * called once per event, outside any transaction, in the channel's tenant scope.
     */
    void conversationChanged(Channel channel, ConversationUpdate update) throws InterruptedException;
}
