package io.switchboard.assistant;

/**
 * Passes a streaming reply on to the customer a little behind the model: the last characters
 * are held back until the whole so far has been checked for leaks, and anything from the first
 * link, image or tag on waits for the reviewed reply. A reply that passes review unchanged is
 * then streamed to its end; otherwise the final reply (cleaned, or the safe answer) replaces
 * what was streamed.
 */
final class GuardedStream implements TurnListener {

    private final TurnListener customer;
    private final PromptLeaks.Watch leaks;
    private final StringBuilder received = new StringBuilder();
    private int sent;
    private boolean stopped;

    GuardedStream(TurnListener customer, OutputGuard guard) {
        this.customer = customer;
        this.leaks = guard.watch();
    }

    @Override
    public void onToken(String fragment) {
        received.append(fragment);
        if (stopped) {
            return;
        }
        if (leaks.append(fragment).isPresent()) {
            stopped = true;
            return;
        }
        int end = OutputGuard.streamable(received, sent);
        if (end > sent && Character.isHighSurrogate(received.charAt(end - 1))) {
            end--;
        }
        if (end > sent) {
            customer.onToken(received.substring(sent, end));
            sent = end;
        }
    }

    /** The reply passed review unchanged: what was held back goes out too. */
    void finish() {
        if (!stopped && sent < received.length()) {
            customer.onToken(received.substring(sent));
            sent = received.length();
        }
    }
}
