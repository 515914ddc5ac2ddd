package io.switchboard.widget;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.switchboard.conversation.ConversationState;
import io.switchboard.conversation.MessageView;
import io.switchboard.platform.Problem;

/** Frames the server sends on the widget WebSocket; {@code type} says which fields are set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WidgetFrame(String type, String text, MessageView message, ConversationState state, Problem problem) {

    public static WidgetFrame token(String text) {
        return new WidgetFrame("token", text, null, null, null);
    }

    public static WidgetFrame reply(MessageView message) {
        return new WidgetFrame("reply", null, message, null, null);
    }

    /** A person's reply, live. */
    public static WidgetFrame agentMessage(MessageView message) {
        return new WidgetFrame("agent_message", null, message, null, null);
    }

    /** The platform speaking: a person joined, the assistant is back, the conversation closed. */
    public static WidgetFrame systemMessage(MessageView message) {
        return new WidgetFrame("system_message", null, message, null, null);
    }

    public static WidgetFrame state(ConversationState state) {
        return new WidgetFrame("state", null, null, state, null);
    }

    public static WidgetFrame error(Problem problem) {
        return new WidgetFrame("error", null, null, null, problem);
    }
}
