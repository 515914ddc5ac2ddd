package io.switchboard.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.switchboard.model.ModelReply;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One replayed customer turn: what the candidate did ({@code answered}, {@code escalated} with the
 * reason, or {@code rule} when a deterministic trigger decides for any model), what the right
 * outcome was when it is known ({@code expectedEscalation}), and how its answer compares with the
 * reply the customer actually got.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationTurn(
        UUID messageId,
        UUID conversationId,
        int seq,
        Outcome outcome,
        String escalationReason,
        Boolean expectedEscalation,
        String reply,
        List<ModelReply.Citation> citations,
        boolean grounded,
        Double similarity,
        boolean resolving,
        Integer judgeScore,
        Integer ttftMillis,
        Integer latencyMillis,
        Integer inputTokens,
        Integer outputTokens,
        BigDecimal costUsd) {

    public enum Outcome {
        ANSWERED,
        ESCALATED,
        RULE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Outcome of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }
}
