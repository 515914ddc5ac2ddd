package io.switchboard.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.switchboard.model.ModelRef;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** An evaluation as the API shows it: what it replays, how far it got, and its summary once done. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Evaluation(
        UUID id,
        ModelRef candidate,
        ModelRef judge,
        EvaluationRequest.Sample sample,
        State state,
        Progress progress,
        EvaluationSummary summary,
        String problem,
        String createdBy,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    public enum State {
        QUEUED,
        RUNNING,
        DONE,
        CANCELLED,
        FAILED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }

        boolean finished() {
            return this == DONE || this == CANCELLED || this == FAILED;
        }
    }

    public record Progress(int doneTurns, int totalTurns) {}
}
