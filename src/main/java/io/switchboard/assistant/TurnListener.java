package io.switchboard.assistant;

/** Receives the bot's answer as it streams, for the channel that carries it to the customer. */
@FunctionalInterface
public interface TurnListener {

    void onToken(String fragment);
}
