package io.switchboard.widget;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.switchboard.assistant.AssistantService;
import io.switchboard.assistant.TurnResult;
import io.switchboard.conversation.ConversationTokens;
import io.switchboard.platform.InFlightWork;
import io.switchboard.platform.LogContext;
import io.switchboard.platform.Problem;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.tenant.TenantSettings;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The widget's live channel. The tenant comes from the path, the conversation from the token in
 * the query; both are checked when the connection opens and bound to it, so a frame can only
 * ever act on its own conversation. Handlers block, so websockets-next runs them on worker threads.
 */
@WebSocket(path = "/ws/widget/{tenant}")
public class WidgetWebSocket {

    private static final Logger LOG = Logger.getLogger(WidgetWebSocket.class);
    private static final TypedKey<String> TENANT = TypedKey.forString("tenant");
    private static final TypedKey<ConversationTokens.OpenConversation> CONVERSATION = new TypedKey<>("conversation");
    /** Policy violation: the close code for a connection we refuse. */
    private static final int REFUSED = 1008;

    private static final String TOKEN_PROTOCOL = "token.";

    private final WidgetAccess access;
    private final AssistantService assistant;
    private final ObjectMapper json;
    private final Validator validator;
    private final CustomerChannels channels;
    private final RateLimits limits;
    private final GracefulShutdown shutdown;
    private final InFlightWork inFlight;

    public WidgetWebSocket(
            WidgetAccess access,
            AssistantService assistant,
            ObjectMapper json,
            Validator validator,
            CustomerChannels channels,
            RateLimits limits,
            GracefulShutdown shutdown,
            InFlightWork inFlight) {
        this.shutdown = shutdown;
        this.inFlight = inFlight;
        this.access = access;
        this.assistant = assistant;
        this.json = json;
        this.validator = validator;
        this.channels = channels;
        this.limits = limits;
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        if (shutdown.draining()) {
            connection.closeAndAwait(new CloseReason(GracefulShutdown.SERVICE_RESTART, GracefulShutdown.RECONNECT));
            return;
        }
        try {
            TenantSettings tenant = tenantOf(connection);
            ConversationTokens.OpenConversation opened =
                    access.conversationForToken(tenant, token(connection.handshakeRequest()));
            UUID conversationId = opened.id();
            connection.userData().put(TENANT, tenant.slug());
            connection.userData().put(CONVERSATION, opened);
            channels.add(conversationId, connection);
            try (LogContext log = LogContext.of(tenant.slug(), conversationId)) {
                LOG.debug("Widget connected");
            }
        } catch (ProblemException refused) {
            connection.sendTextAndAwait(WidgetFrame.error(refused.problem()));
            connection.closeAndAwait(new CloseReason(REFUSED, refused.problem().title()));
        }
    }

    @OnClose
    public void closed(WebSocketConnection connection) {
        ConversationTokens.OpenConversation conversation = connection.userData().get(CONVERSATION);
        if (conversation != null) {
            channels.remove(conversation.id(), connection);
        }
    }

    @OnTextMessage
    public void message(WebSocketConnection connection, String frame) {
        ConversationTokens.OpenConversation conversation = connection.userData().get(CONVERSATION);
        if (conversation != null) {
            // Counted until the last frame is sent, so a stopping replica closes the socket only after the state frame.
            inFlight.track(() -> {
                handle(connection, conversation, frame);
                return null;
            });
        }
    }

    private void handle(
            WebSocketConnection connection, ConversationTokens.OpenConversation conversation, String frame) {
        UUID conversationId = conversation.id();
        try {
            JsonNode node = parse(frame);
            // Re-read the tenant per message: a settings change applies to the next turn.
            TenantSettings tenant = tenantOf(connection);
            limits.message(
                    tenant.id(),
                    conversation,
                    host(connection.handshakeRequest().remoteAddress()));
            TurnResult result = null;
            channels.turnStarted(connection);
            try (LogContext log = LogContext.of(tenant.slug(), conversationId)) {
                result = switch (node.path("type").asText()) {
                    case "handoff" -> assistant.requestPerson(tenant, conversationId);
                    case "feedback" -> assistant.rateAnswer(tenant, conversationId, answerId(node), helpful(node));
                    case "email" -> assistant.leaveEmail(tenant, conversationId, email(node));
                    case "confirm", "decline" ->
                        assistant.decideAction(
                                tenant,
                                conversationId,
                                actionId(node),
                                node.path("type").asText().equals("confirm"),
                                fragment -> connection.sendTextAndAwait(WidgetFrame.token(fragment)));
                    default ->
                        assistant.handleCustomerMessage(
                                tenant,
                                conversationId,
                                customerText(node),
                                fragment -> connection.sendTextAndAwait(WidgetFrame.token(fragment)));
                };
                if (result.reply() != null) {
                    connection.sendTextAndAwait(WidgetFrame.reply(result.reply(), result.pendingAction()));
                }
                connection.sendTextAndAwait(WidgetFrame.state(result.state(), result.awayUntil(), result.away()));
            } finally {
                channels.turnEnded(connection, result);
            }
        } catch (ProblemException problem) {
            connection.sendTextAndAwait(WidgetFrame.error(problem.problem()));
        }
    }

    private TenantSettings tenantOf(WebSocketConnection connection) {
        var handshake = connection.handshakeRequest();
        String host = handshake.header("Host");
        return access.tenant(connection.pathParam("tenant"), handshake.header("Origin"), host);
    }

    private static UUID answerId(JsonNode node) {
        return id(node, "messageId", "the id of one of the bot's answers");
    }

    private static UUID actionId(JsonNode node) {
        return id(node, "actionId", "the id of an action waiting for you");
    }

    private static UUID id(JsonNode node, String field, String what) {
        try {
            return UUID.fromString(node.path(field).asText());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "Field '" + field + "' must be " + what);
        }
    }

    private String email(JsonNode node) {
        return validated(new WidgetRequests.LeaveEmail(
                        node.path("email").isTextual()
                                ? node.path("email").asText().strip()
                                : null))
                .email();
    }

    private static boolean helpful(JsonNode node) {
        if (!node.path("helpful").isBoolean()) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "Field 'helpful' must be true or false");
        }
        return node.path("helpful").asBoolean();
    }

    /**
     * {@code {"type":"message","text":...}}, {@code {"type":"handoff"}} (the "talk to a person"
     * button), {@code {"type":"feedback","messageId":...,"helpful":false}} or
     * {@code {"type":"confirm"|"decline","actionId":...}} (the buttons of a pending action).
     */
    private JsonNode parse(String frame) {
        JsonNode node;
        try {
            node = json.readTree(frame);
        } catch (JsonProcessingException e) {
            throw new ProblemException(
                    ProblemType.MALFORMED_REQUEST,
                    "Frames must be JSON such as {\"type\":\"message\",\"text\":\"...\"}");
        }
        String type = node == null ? "" : node.path("type").asText();
        if (node == null
                || !node.isObject()
                || !(type.equals("message")
                        || type.equals("handoff")
                        || type.equals("feedback")
                        || type.equals("email")
                        || type.equals("confirm")
                        || type.equals("decline"))) {
            throw new ProblemException(
                    ProblemType.MALFORMED_REQUEST,
                    "Unknown frame; send {\"type\":\"message\",\"text\":\"...\"}, {\"type\":\"handoff\"},"
                            + " {\"type\":\"feedback\",\"messageId\":\"...\",\"helpful\":false} or"
                            + " {\"type\":\"confirm\",\"actionId\":\"...\"}");
        }
        return node;
    }

    private String customerText(JsonNode node) {
        JsonNode text = node.get("text");
        if (text != null && !text.isTextual()) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "Field 'text' must be a string");
        }
        return validated(new WidgetRequests.CustomerMessage(text == null ? null : text.asText()))
                .text();
    }

    /** A frame's fields checked as the REST API checks the same request body. */
    private <T> T validated(T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            List<Problem.FieldError> errors = violations.stream()
                    .map(v -> new Problem.FieldError(v.getPropertyPath().toString(), v.getMessage()))
                    .toList();
            throw new ProblemException(
                    ProblemType.VALIDATION_FAILED,
                    errors.get(0).field() + ": " + errors.get(0).message(),
                    errors);
        }
        return request;
    }

    /**
     * The conversation token: offered as the subprotocol {@code token.<token>} (the widget's way,
     * out of the URL that proxies log), or in the {@code token} query parameter.
     */
    static String token(io.quarkus.websockets.next.HandshakeRequest handshake) {
        java.util.List<String> offers =
                handshake.headers(io.quarkus.websockets.next.HandshakeRequest.SEC_WEBSOCKET_PROTOCOL);
        for (String offered : offers == null ? java.util.List.<String>of() : offers) {
            for (String protocol : offered.split(",")) {
                if (protocol.strip().startsWith(TOKEN_PROTOCOL)) {
                    return protocol.strip().substring(TOKEN_PROTOCOL.length());
                }
            }
        }
        return queryParam(handshake.query(), "token");
    }

    /** The host of a "host:port" address ("[v6]:port" too); null when there is none. */
    static String host(String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        int port = address.lastIndexOf(':');
        String host = port > 0 && address.indexOf(':') == port || address.startsWith("[")
                ? address.substring(0, port)
                : address;
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
