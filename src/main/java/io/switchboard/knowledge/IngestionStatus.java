package io.switchboard.knowledge;

import java.time.Instant;
import java.util.List;

/** Progress of the latest knowledge ingestion of a tenant: chunks embedded and indexed so far. */
public record IngestionStatus(
        State state, int totalChunks, int doneChunks, List<String> errors, Instant startedAt, Instant finishedAt) {

    public enum State {
        IDLE,
        RUNNING,
        DONE,
        FAILED
    }

    public static final IngestionStatus IDLE = new IngestionStatus(State.IDLE, 0, 0, List.of(), null, null);

    public IngestionStatus {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
