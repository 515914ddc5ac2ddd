package io.switchboard.evaluation;

import io.switchboard.conversation.ConversationState;
import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.MessageView;
import io.switchboard.conversation.Transcripts;
import io.switchboard.handoff.EscalationReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A past customer turn to replay, with what should have happened and what the customer actually got. */
record PlannedTurn(
        Transcripts.Past past, int index, Boolean expectedEscalation, MessageView actualReply, boolean resolving) {

    MessageView customerMessage() {
        return past.messages().get(index);
    }

    /**
     * The customer turns the bot handled in each sampled conversation (up to a person taking over),
     * each with its known right outcome: a person was needed at the turn that escalated for want of
     * an answer; the bot was right to answer every turn of a conversation it closed on its own.
     * Other turns score on grounding and agreement only.
     */
    static List<PlannedTurn> plan(List<Transcripts.Past> sample) {
        List<PlannedTurn> plan = new ArrayList<>();
        for (Transcripts.Past past : sample) {
            List<MessageView> messages = past.messages();
            Instant escalatedAt = past.summary().escalatedAt();
            boolean personJoined = messages.stream().anyMatch(message -> message.role() == MessageRole.AGENT);
            boolean botResolved =
                    past.summary().state() == ConversationState.CLOSED && escalatedAt == null && !personJoined;
            boolean personNeeded = escalatedAt != null
                    && EscalationReason.botCouldNotAnswer(past.summary().escalationReason());
            MessageView resolvingReply =
                    past.summary().state() == ConversationState.CLOSED ? lastReply(messages) : null;
            List<Integer> botTurns = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                MessageView message = messages.get(i);
                if (message.role() == MessageRole.AGENT
                        || escalatedAt != null && message.createdAt().isAfter(escalatedAt)) {
                    break;
                }
                if (message.role() == MessageRole.CUSTOMER) {
                    botTurns.add(i);
                }
            }
            for (int turn = 0; turn < botTurns.size(); turn++) {
                int index = botTurns.get(turn);
                boolean escalatingTurn = escalatedAt != null && turn == botTurns.size() - 1;
                Boolean expected = botResolved ? Boolean.FALSE : personNeeded && escalatingTurn ? Boolean.TRUE : null;
                MessageView actual = escalatingTurn
                        ? firstAfter(messages, index, MessageRole.AGENT, false)
                        : firstAfter(messages, index, null, true);
                plan.add(new PlannedTurn(past, index, expected, actual, actual != null && actual == resolvingReply));
            }
        }
        return plan;
    }

    /** The first bot or person reply after the message (of this role only, when given), stopping at the customer's next message if asked. */
    private static MessageView firstAfter(
            List<MessageView> messages, int index, MessageRole role, boolean beforeNextCustomerMessage) {
        for (MessageView message : messages.subList(index + 1, messages.size())) {
            if (beforeNextCustomerMessage && message.role() == MessageRole.CUSTOMER) {
                return null;
            }
            boolean reply = message.role() == MessageRole.BOT || message.role() == MessageRole.AGENT;
            if (reply && (role == null || message.role() == role)) {
                return message;
            }
        }
        return null;
    }

    private static MessageView lastReply(List<MessageView> messages) {
        for (MessageView message : messages.reversed()) {
            if (message.role() == MessageRole.BOT || message.role() == MessageRole.AGENT) {
                return message;
            }
        }
        return null;
    }
}
