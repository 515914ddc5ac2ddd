package io.switchboard.assistant;

import io.switchboard.model.Grounding;

/**
 * Passes a streaming reply on to the customer a little behind the model: the last characters
 * are held back until the whole so far has been checked for leaks, and anything from the first
 * link, image or tag on waits for the reviewed reply. A reply that passes review unchanged is
 * then streamed to its end; otherwise the final reply (cleaned, or the safe answer) replaces
 * what was streamed. For a tenant that requires citations, nothing goes out before the reply cites
 * a passage: a reply that never does is replaced before the customer saw any of it.
 */
final class GuardedStream implements TurnListener {

    private final TurnListener customer;
    private final PromptLeaks.Watch leaks;
    private final StringBuilder received = new StringBuilder();
    /** The passages a reply must cite before any of it is shown; null when the tenant does not require citations. */
    private Grounding uncited;

    private int sent;
    private boolean stopped;

    GuardedStream(TurnListener customer, OutputGuard guard, Grounding mustCite) {
        this.customer = customer;
        this.leaks = guard.watch();
        this.uncited = mustCite;
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
        if (uncited != null) {
            // A marker may have begun in the previous fragment: "[" then "2]".
            int from = received.length() - fragment.length() - 3;
            if (!PromptAssembler.citesFrom(received, from, uncited)) {
                return;
            }
            uncited = null;
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
