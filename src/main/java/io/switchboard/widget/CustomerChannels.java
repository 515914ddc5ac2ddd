package io.switchboard.widget;

import io.quarkus.websockets.next.WebSocketConnection;
import io.switchboard.conversation.ConversationEvent;
import io.switchboard.conversation.MessageRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The customers' open WebSockets on this replica, by conversation, so a person's reply reaches
 * the customer at once. A message goes only to the connections of its own conversation.
 */
@ApplicationScoped
public class CustomerChannels {

    private static final Logger LOG = Logger.getLogger(CustomerChannels.class);

    private final Map<UUID, Set<WebSocketConnection>> byConversation = new ConcurrentHashMap<>();

    void add(UUID conversationId, WebSocketConnection connection) {
        byConversation.computeIfAbsent(conversationId, id -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    void remove(UUID conversationId, WebSocketConnection connection) {
        byConversation.computeIfPresent(conversationId, (id, connections) -> {
            connections.remove(connection);
            return connections.isEmpty() ? null : connections;
        });
    }

    void deliver(@Observes(during = TransactionPhase.AFTER_SUCCESS) ConversationEvent event) {
        Set<WebSocketConnection> connections = byConversation.getOrDefault(event.conversationId(), Set.of());
        WidgetFrame message = event.message().role() == MessageRole.AGENT
                ? WidgetFrame.agentMessage(event.message())
                : WidgetFrame.systemMessage(event.message());
        for (WebSocketConnection connection : connections) {
            // Asynchronous: a slow customer never holds up the agent who replied.
            connection.sendText(message).chain(() -> connection.sendText(WidgetFrame.state(event.state())))
                    .subscribe().with(sent -> { }, failure -> LOG.debugf("Customer channel gone: %s", failure.getMessage()));
        }
    }
}
