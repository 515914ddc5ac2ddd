package io.switchboard.widget;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.switchboard.action.PendingAction;
import io.switchboard.conversation.ConversationState;
import io.switchboard.conversation.MessageView;
import io.switchboard.platform.Problem;
import java.time.OffsetDateTime;

/** Frames the server sends on the widget WebSocket; {@code type} says which fields are set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WidgetFrame(
        String type,
        String text,
        MessageView message,
        ConversationState state,
        OffsetDateTime awayUntil,
        Boolean away,
        Problem problem,
        PendingAction pendingAction) {

    public static WidgetFrame token(String text) {
        return new WidgetFrame("token", text, null, null, null, null, null, null);
    }

    /** The bot's answer to the connection's own turn, with the write it asks the customer to confirm (null: none). */
    public static WidgetFrame reply(MessageView message, PendingAction pendingAction) {
        return new WidgetFrame("reply", null, message, null, null, null, null, pendingAction);
    }

    /** A person's reply, live. */
    public static WidgetFrame agentMessage(MessageView message) {
        return new WidgetFrame("agent_message", null, message, null, null, null, null, null);
    }

    /** The customer's message sent from another tab or device, live. */
    public static WidgetFrame customerMessage(MessageView message) {
        return new WidgetFrame("customer_message", null, message, null, null, null, null, null);
    }

    /** The bot's answer to a message sent from another tab or device, live. */
    public static WidgetFrame botMessage(MessageView message) {
        return new WidgetFrame("bot_message", null, message, null, null, null, null, null);
    }

    /** The platform speaking: a person joined, the assistant is back, the conversation closed. */
    public static WidgetFrame systemMessage(MessageView message) {
        return new WidgetFrame("system_message", null, message, null, null, null, null, null);
    }

    public static WidgetFrame state(ConversationState state) {
        return state(state, null, false);
    }

    /** The state; {@code away} when the conversation waits while nobody can answer, {@code awayUntil} when that ends. */
    public static WidgetFrame state(ConversationState state, OffsetDateTime awayUntil, boolean away) {
        return new WidgetFrame("state", null, null, state, awayUntil, away ? Boolean.TRUE : null, null, null);
    }

    public static WidgetFrame error(Problem problem) {
        return new WidgetFrame("error", null, null, null, null, null, problem, null);
    }
}
