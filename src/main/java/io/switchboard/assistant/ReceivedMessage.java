package io.switchboard.assistant;

import io.micrometer.core.instrument.Timer;
import io.switchboard.conversation.CustomerIntake;
import io.switchboard.conversation.MessageView;
import io.switchboard.platform.LanguageDetection;
import java.util.UUID;

/** A customer's message stored, its bot turn still to come (see {@link DeferredTurns}). */
public final class ReceivedMessage {

    final UUID conversationId;
    final String text;
    final LanguageDetection.Guess said;
    final CustomerIntake.CustomerTurn turn;
    final Timer.Sample sample;

    ReceivedMessage(
            UUID conversationId,
            String text,
            LanguageDetection.Guess said,
            CustomerIntake.CustomerTurn turn,
            Timer.Sample sample) {
        this.conversationId = conversationId;
        this.text = text;
        this.said = said;
        this.turn = turn;
        this.sample = sample;
    }

    public MessageView message() {
        return turn.message();
    }
}
