package io.switchboard.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.switchboard.model.ModelReply;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A message as the customer sees it. Bot messages name the model and the endpoint
 * ({@code provider}) that answered, and the articles cited.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageView(
        UUID id,
        int seq,
        MessageRole role,
        String text,
        Instant createdAt,
        String model,
        String provider,
        List<ModelReply.Citation> citations) {

    /** A message's words without a bot answer's provenance: what a turn's prompt and hand-off rules read. */
    static MessageView words(UUID id, int seq, MessageRole role, String text, Instant createdAt) {
        return new MessageView(id, seq, role, text, createdAt, null, null, null);
    }

    static MessageView of(Message message) {
        boolean bot = message.role == MessageRole.BOT;
        return new MessageView(
                message.id,
                message.seq,
                message.role,
                message.text,
                message.createdAt,
                bot ? message.modelName : null,
                bot ? message.modelEndpoint : null,
                bot ? (message.citations == null ? List.of() : message.citations) : null);
    }
}
