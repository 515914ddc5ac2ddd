package io.switchboard.model;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The model did not produce a complete answer; {@link Reason} is what metrics and logs record. */
public class ModelFailure extends Exception {

    public enum Reason {
        UNREACHABLE,
        HTTP_ERROR,
        FIRST_TOKEN_TIMEOUT,
        TOTAL_TIMEOUT,
        STREAM_CUT,
        EMPTY_ANSWER,
        NOT_CONFIGURED,
        INTERRUPTED,
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
    private final Integer httpStatus;

    public ModelFailure(Reason reason, String message, Throwable cause, Integer httpStatus) {
        super(message, cause);
        this.reason = reason;
        this.httpStatus = httpStatus;
    }

    public ModelFailure(Reason reason, String message, Throwable cause) {
        this(reason, message, cause, null);
    }

    public ModelFailure(Reason reason, String message) {
        this(reason, message, null, null);
    }

    /** What a failed asynchronous call amounts to: its own failure, or an unexpected error counted as the model's. */
    public static ModelFailure from(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof ModelFailure modelFailure
                ? modelFailure
                : new ModelFailure(
                        Reason.HTTP_ERROR,
                        "Model call failed: " + cause.getClass().getSimpleName(),
                        cause);
    }

    /** The failure an asynchronous call ended with, without the futures' wrappers. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Whether the failure says the model is unwell (unreachable, slow, cut off, a 5xx or 429), as
     * opposed to one caller's request being refused (another 4xx) or the call being abandoned.
     */
    public boolean blamesTheModel() {
        if (reason == Reason.INTERRUPTED) {
            return false;
        }
        return httpStatus == null || httpStatus >= 500 || httpStatus == 429;
    }

    public Reason reason() {
        return reason;
    }

    /** The status an HTTP endpoint refused the call with, or null when it did not answer with one. */
    public Integer httpStatus() {
        return httpStatus;
    }
}
