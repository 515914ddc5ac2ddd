package io.switchboard.widget;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.switchboard.conversation.ConversationEvents;
import io.switchboard.conversation.MessageRole;
import io.switchboard.events.DomainEvent;
import io.switchboard.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The customers' open WebSockets on this replica, by conversation, so a person's reply reaches
 * the customer at once, whichever replica the person used: the reply arrives here as a
 * message-created event. A message goes only to the connections of its own conversation, and
 * only what a person caused (the customer's own turn is answered on its request).
 */
@ApplicationScoped
public class CustomerChannels {

    private static final Logger LOG = Logger.getLogger(CustomerChannels.class);

    private final Map<UUID, Set<WebSocketConnection>> byConversation = new ConcurrentHashMap<>();
    private final ObjectMapper json;

    public CustomerChannels(ObjectMapper json) {
        this.json = json;
    }

    void add(UUID conversationId, WebSocketConnection connection) {
        byConversation.computeIfAbsent(conversationId, id -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    void remove(UUID conversationId, WebSocketConnection connection) {
        byConversation.computeIfPresent(conversationId, (id, connections) -> {
            connections.remove(connection);
            return connections.isEmpty() ? null : connections;
        });
    }

    /**
     * Closes every customer connection with the given code, and waits (at most {@code patience})
     * until they are gone; returns how many there were.
     */
    int closeAll(int code, String reason, Duration patience) throws InterruptedException {
        List<WebSocketConnection> open = byConversation.values().stream().flatMap(Set::stream).toList();
        CountDownLatch closed = new CountDownLatch(open.size());
        for (WebSocketConnection connection : open) {
            connection.close(new CloseReason(code, reason)).subscribe().with(done -> closed.countDown(), failure -> closed.countDown());
        }
        closed.await(patience.toMillis(), TimeUnit.MILLISECONDS);
        return open.size();
    }

    void deliver(@Observes DomainEvent event) throws JsonProcessingException {
        if (!EventType.MESSAGE_CREATED.topic().equals(event.type())) {
            return;
        }
        ConversationEvents.MessageCreated created = json.treeToValue(event.data(), ConversationEvents.MessageCreated.class);
        Set<WebSocketConnection> connections = byConversation.getOrDefault(created.conversationId(), Set.of());
        if (created.origin() != ConversationEvents.Origin.AGENT || created.message().role() == MessageRole.NOTE || connections.isEmpty()) {
            return;
        }
        WidgetFrame message = created.message().role() == MessageRole.AGENT
                ? WidgetFrame.agentMessage(created.message())
                : WidgetFrame.systemMessage(created.message());
        WidgetFrame state = WidgetFrame.state(created.state());
        for (WebSocketConnection connection : connections) {
            // Asynchronous, so a slow customer never holds up the agent who replied; both writes are queued
            // now, in order, so the frames of consecutive events never interleave (message, state, message, state).
            for (WidgetFrame frame : new WidgetFrame[] {message, state}) {
                connection.sendText(frame).subscribe()
                        .with(sent -> { }, failure -> LOG.debugf("Customer channel gone: %s", failure.getMessage()));
            }
        }
    }
}
