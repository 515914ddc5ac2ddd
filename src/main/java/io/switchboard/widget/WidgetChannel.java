package io.switchboard.widget;

import io.switchboard.channel.Channel;
import io.switchboard.channel.ChannelRequest;
import io.switchboard.channel.ChannelType;
import io.switchboard.channel.ConversationUpdate;
import io.switchboard.conversation.ChannelRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/**
 * The widget as a channel: every tenant has it without adding it (its id is the tenant's, its
 * settings are the tenant's), so it is never created, changed or deleted as a channel. Its
 * customers hear of their conversations live, through {@link CustomerChannels}.
 */
@ApplicationScoped
public class WidgetChannel implements ChannelType {

    @Override
    public String id() {
        return ChannelRef.WIDGET;
    }

    @Override
    public Optional<String> implicitName() {
        return Optional.of("Widget");
    }

    @Override
    public Map<String, String> create(Channel channel, ChannelRequest request) {
        throw new IllegalStateException("The widget channel is implicit and never created");
    }

    @Override
    public Map<String, String> change(Channel channel, ChannelRequest request) {
        throw new IllegalStateException("The widget channel is implicit and never changed as a channel");
    }

    @Override
    public void delete(Channel channel) {
        throw new IllegalStateException("The widget channel is implicit and never deleted");
    }

    @Override
    public Map<String, Object> describe(Channel channel) {
        return Map.of();
    }

    @Override
    public void conversationChanged(Channel channel, ConversationUpdate update) {
        // Its customers' open connections get every message as it is stored (CustomerChannels).
    }
}
