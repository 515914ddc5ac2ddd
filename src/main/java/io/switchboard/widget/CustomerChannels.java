package io.switchboard.widget;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import io.switchboard.assistant.TurnResult;
import io.switchboard.conversation.ConversationEvents;
import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.MessageView;
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
 * The customers' open WebSockets on this replica, by conversation, so every message of the
 * conversation reaches each of its widgets at once, whichever replica stored it: a person's reply,
 * and the customer's own messages and the bot's answers to them in the customer's other tabs and
 * devices. Messages arrive here as message-created events and go only to the connections of
 * their own conversation. The connection whose turn stored a message is not sent it again: the
 * turn answers it on that connection, as tokens, the reply and the state.
 */
@ApplicationScoped
public class CustomerChannels {

    private static final Logger LOG = Logger.getLogger(CustomerChannels.class);
    /** Set while one of the connection's own turns runs. */
    private static final TypedKey<Boolean> ANSWERING = TypedKey.forBoolean("answering");
    /** The position of the last message the connection's own turns sent it. */
    private static final TypedKey<Integer> TOLD_UP_TO = TypedKey.forInt("told-up-to");

    private final Map<UUID, Set<WebSocketConnection>> byConversation = new ConcurrentHashMap<>();
    private final ObjectMapper json;

    public CustomerChannels(ObjectMapper json) {
        this.json = json;
    }

    void add(UUID conversationId, WebSocketConnection connection) {
        byConversation
                .computeIfAbsent(conversationId, id -> ConcurrentHashMap.newKeySet())
                .add(connection);
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
        List<WebSocketConnection> open =
                byConversation.values().stream().flatMap(Set::stream).toList();
        CountDownLatch closed = new CountDownLatch(open.size());
        for (WebSocketConnection connection : open) {
            connection
                    .close(new CloseReason(code, reason))
                    .subscribe()
                    .with(done -> closed.countDown(), failure -> closed.countDown());
        }
        closed.await(patience.toMillis(), TimeUnit.MILLISECONDS);
        return open.size();
    }

    /** The connection's own turn starts: what it stores, the turn sends. */
    void turnStarted(WebSocketConnection connection) {
        connection.userData().put(ANSWERING, true);
    }

    /** The connection's own turn sent {@code result}; an event of it arriving later is not sent again. */
    void turnEnded(WebSocketConnection connection, TurnResult result) {
        int told = result == null ? 0 : Math.max(seq(result.message()), seq(result.reply()));
        Integer before = connection.userData().get(TOLD_UP_TO);
        connection.userData().put(TOLD_UP_TO, Math.max(told, before == null ? 0 : before));
        connection.userData().put(ANSWERING, false);
    }

    private static int seq(MessageView message) {
        return message == null ? 0 : message.seq();
    }

    void deliver(@Observes DomainEvent event) throws JsonProcessingException {
        if (!EventType.MESSAGE_CREATED.topic().equals(event.type())) {
            return;
        }
        ConversationEvents.MessageCreated created =
                json.treeToValue(event.data(), ConversationEvents.MessageCreated.class);
        Set<WebSocketConnection> connections = byConversation.getOrDefault(created.conversationId(), Set.of());
        MessageView stored = created.message();
        if (stored.role() == MessageRole.NOTE || connections.isEmpty()) {
            return;
        }
        WidgetFrame message = switch (stored.role()) {
            case AGENT -> WidgetFrame.agentMessage(stored);
            case CUSTOMER -> WidgetFrame.customerMessage(stored);
            case BOT -> WidgetFrame.botMessage(stored);
            default -> WidgetFrame.systemMessage(stored);
        };
        WidgetFrame state = WidgetFrame.state(created.state());
        boolean ofATurn = created.origin() == ConversationEvents.Origin.TURN;
        for (WebSocketConnection connection : connections) {
            if (ofATurn && sentByItsTurn(connection, stored)) {
                continue;
            }
            // Asynchronous, so a slow customer never holds up the agent who replied; both writes are queued
            // now, in order, so the frames of consecutive events never interleave (message, state, message, state).
            for (WidgetFrame frame : new WidgetFrame[] {message, state}) {
                connection
                        .sendText(frame)
                        .subscribe()
                        .with(sent -> {}, failure -> LOG.debugf("Customer channel gone: %s", failure.getMessage()));
            }
        }
    }

    /**
     * Whether the connection's own turn stored (and so sends) the message. While a turn runs, every
     * turn's message is taken for its own: another tab's message in that instant shows at its next sync.
     */
    private static boolean sentByItsTurn(WebSocketConnection connection, MessageView stored) {
        Integer toldUpTo = connection.userData().get(TOLD_UP_TO);
        return Boolean.TRUE.equals(connection.userData().get(ANSWERING))
                || (toldUpTo != null && stored.seq() <= toldUpTo);
    }
}
