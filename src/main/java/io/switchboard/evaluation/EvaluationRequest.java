package io.switchboard.evaluation;

import io.switchboard.conversation.ConversationState;
import io.switchboard.model.ModelRef;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.LocalDate;
import java.util.List;

/**
 * Replay a sample of past conversations against a candidate model, optionally graded by a judge
 * model. The sample defaults to up to 50 conversations of the last 30 days, in any state.
 */
public record EvaluationRequest(
        @NotNull(message = "is required") @Valid ModelRef candidate,
        @Valid ModelRef judge,
        @Valid Sample sample) {

    public EvaluationRequest {
        sample = sample == null ? new Sample(null, null, null, null) : sample;
    }

    /** Conversations started on these UTC days (both included), in these states, at most {@code size} of them. */
    public record Sample(
            LocalDate from,
            LocalDate to,
            List<@NotNull ConversationState> states,

            @Min(value = 1, message = "must be at least 1") @Max(value = 500, message = "must be at most 500")
            Integer size) {

        static final int DEFAULT_DAYS = 30;
        static final int DEFAULT_SIZE = 50;

        public Sample {
            to = to == null ? LocalDate.now(java.time.ZoneOffset.UTC) : to;
            from = from == null ? to.minusDays(DEFAULT_DAYS - 1) : from;
            states = states == null || states.isEmpty() ? List.of(ConversationState.values()) : List.copyOf(states);
            size = size == null ? DEFAULT_SIZE : size;
        }
    }
}
