package io.switchboard.assistant;

import io.switchboard.conversation.ConversationState;
import io.switchboard.handoff.EscalationReason;
import io.switchboard.platform.InFlightWork;
import io.switchboard.platform.StorageSpace;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * A turn in two halves, for a channel that acknowledges a customer's message before the answer
 * is written: the message is stored now, and the bot answers it (or a person is called in) later,
 * on another thread, as {@link AssistantService} would have in one go.
 */
@ApplicationScoped
public class DeferredTurns {

    private final AssistantService assistant;
    private final BotTurn bot;
    private final StorageSpace storage;
    private final InFlightWork inFlight;

    public DeferredTurns(AssistantService assistant, BotTurn bot, StorageSpace storage, InFlightWork inFlight) {
        this.assistant = assistant;
        this.bot = bot;
        this.storage = storage;
        this.inFlight = inFlight;
    }

    /** Stores a customer's message without answering it yet; refused (503) while storage is nearly full. */
    public ReceivedMessage receive(TenantSettings tenant, UUID conversationId, String text) {
        storage.requireRoomForMessages();
        return TenantScope.call(tenant.id(), () -> assistant.store(tenant, conversationId, text));
    }

    /** The bot's turn for a message {@link #receive received} before; counted in flight. */
    public TurnResult answer(TenantSettings tenant, ReceivedMessage received, TurnListener listener) {
        return inFlight.track(() -> assistant.withAwayTime(
                tenant, TenantScope.call(tenant.id(), () -> assistant.turn(tenant, received, listener))));
    }

    /**
     * No bot turn for a message {@link #receive received} before: a conversation still with the
     * bot goes to a person at once (its channel has the bot switched off).
     */
    public TurnResult toPerson(TenantSettings tenant, ReceivedMessage received) {
        return inFlight.track(() -> assistant.withAwayTime(tenant, TenantScope.call(tenant.id(), () -> {
            if (received.turn.state() != ConversationState.BOT) {
                bot.count(tenant, "human", received.sample);
                return new TurnResult(received.turn.message(), null, received.turn.state());
            }
            return bot.handOff(
                    tenant, received.conversationId, received.turn, EscalationReason.BOT_OFF, received.sample);
        })));
    }
}
