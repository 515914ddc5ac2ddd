package io.switchboard.model;

/** The model did not produce a complete answer; {@link Reason} is what metrics and logs record. */
public class ModelFailure extends Exception {

    public enum Reason {
        UNREACHABLE, HTTP_ERROR, FIRST_TOKEN_TIMEOUT, TOTAL_TIMEOUT, STREAM_CUT, EMPTY_ANSWER, NOT_CONFIGURED, INTERRUPTED,
        /** The endpoint failed often enough lately that it is skipped for a while. */
        CIRCUIT_OPEN,
        /** The tenant already has as many model calls in flight as it may. */
        TENANT_BUSY,
        /** The tenant's monthly budget is spent and its policy hands off rather than degrades. */
        BUDGET_EXCEEDED;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    public ModelFailure(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public ModelFailure(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
