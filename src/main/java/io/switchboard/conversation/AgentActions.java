package io.switchboard.conversation;

import io.switchboard.conversation.ConversationService.Appended;
import io.switchboard.events.EventType;
import io.switchboard.platform.CustomerTexts;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/** What the team's people do in a conversation: take it over, reply, note, hand it back, close it. */
@ApplicationScoped
public class AgentActions {

    /** How the customer hears of the person who joins: agents' own names are not shown to customers. */
    public static final String TEAM_MEMBER = "A person from our team";

    private final ConversationLedger ledger;

    public AgentActions(ConversationLedger ledger) {
        this.ledger = ledger;
    }

    /** A person takes the conversation over: from now on the bot stays silent. */
    @Transactional
    public Appended assign(UUID conversationId, String agent, String agentName) {
        Conversation conversation = ledger.locked(conversationId);
        if (conversation.state == ConversationState.CLOSED) {
            throw new ProblemException(ProblemType.CONFLICT, "The conversation is closed");
        }
        if (conversation.state == ConversationState.HUMAN && !agent.equals(conversation.assignee)) {
            throw new ProblemException(ProblemType.CONFLICT, "Another person already owns this conversation");
        }
        conversation.state = ConversationState.HUMAN;
        conversation.assignee = agent;
        ledger.stateChanged(conversation, EventType.CONVERSATION_ASSIGNED);
        return ledger.announce(conversation, CustomerTexts.text("joined", conversation.language, "agent", agentName));
    }
    /** A person's reply: only the owner may answer, or an administrator. */
    @Transactional
    public Appended agentReply(UUID conversationId, String agent, boolean administrator, String text) {
        Conversation conversation = ledger.locked(conversationId);
        if (conversation.state != ConversationState.HUMAN) {
            throw new ProblemException(ProblemType.CONFLICT, "Take the conversation over (assign) before replying");
        }
        if (!agent.equals(conversation.assignee) && !administrator) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only the person who owns the conversation may reply");
        }
        Message message = ledger.append(conversation, MessageRole.AGENT, text, reply -> reply.author = agent);
        return ledger.recorded(conversation, message, ConversationEvents.Origin.AGENT);
    }
    /** An internal note: any agent may add one in any state; the customer and the model never see it. */
    @Transactional
    public Appended addNote(UUID conversationId, String agent, String text) {
        Conversation conversation = ledger.locked(conversationId);
        Message note = ledger.append(conversation, MessageRole.NOTE, text, written -> written.author = agent);
        return ledger.recorded(conversation, note, ConversationEvents.Origin.AGENT);
    }
    /** Hands the conversation back to the bot. */
    @Transactional
    public Appended release(UUID conversationId) {
        Conversation conversation = ledger.locked(conversationId);
        if (conversation.state != ConversationState.HUMAN && conversation.state != ConversationState.PENDING_HUMAN) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "Only a conversation waiting for or owned by a person can go back to the assistant");
        }
        conversation.state = ConversationState.BOT;
        conversation.assignee = null;
        ledger.stateChanged(conversation, EventType.CONVERSATION_RELEASED);
        return ledger.announce(conversation, CustomerTexts.text("released", conversation.language));
    }

    @Transactional
    public Appended close(UUID conversationId) {
        Conversation conversation = ledger.locked(conversationId);
        if (conversation.state == ConversationState.CLOSED) {
            throw new ProblemException(ProblemType.CONFLICT, "The conversation is already closed");
        }
        conversation.state = ConversationState.CLOSED;
        if (conversation.surveyOfferedAt == null) {
            conversation.surveyOfferedAt = Instant.now();
        }
        ledger.stateChanged(conversation, EventType.CONVERSATION_CLOSED);
        return ledger.announce(conversation, CustomerTexts.text("closed", conversation.language));
    }
}
