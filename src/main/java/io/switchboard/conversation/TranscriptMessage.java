package io.switchboard.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.switchboard.model.ModelReply;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A message with what produced it: model, endpoint, provider, versions, tokens and timings for bot messages. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TranscriptMessage(
        UUID id,
        int seq,
        MessageRole role,
        String text,
        Instant createdAt,
        String author,
        String model,
        String endpoint,
        String provider,
        Integer configVersion,
        Integer modelPolicyVersion,
        Integer inputTokens,
        Integer outputTokens,
        Boolean tokensEstimated,
        java.math.BigDecimal costUsd,
        Integer timeToFirstTokenMillis,
        Integer latencyMillis,
        List<ModelReply.Citation> citations,
        String feedback) {

    static TranscriptMessage of(Message message) {
        return new TranscriptMessage(
                message.id,
                message.seq,
                message.role,
                message.text,
                message.createdAt,
                message.author,
                message.modelName,
                message.modelEndpoint,
                message.provider,
                message.configVersion,
                message.modelPolicyVersion,
                message.inputTokens,
                message.outputTokens,
                message.role == MessageRole.BOT ? message.tokensEstimated : null,
                message.costUsd,
                message.ttftMillis,
                message.latencyMillis,
                message.citations,
                message.feedback);
    }
}
