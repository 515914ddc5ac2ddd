package io.switchboard.conversation;

import java.time.LocalDate;

/**
 * Which conversations a transcript search returns; every part is optional. {@code model} matches
 * a bot answer's model ("qwen3-8b") or endpoint and model ("vllm/qwen3-8b"); {@code text} any
 * message containing it, in any case; {@code from} and {@code to} are UTC days of the start, both
 * included; {@code grade} a quality grade ({@code good}, {@code fair}, {@code poor});
 * {@code channel} is a channel's id or a channel type ({@code widget}, {@code api}); {@code before}
 * is the cursor: conversations numbered below it.
 */
public record ConversationFilter(
        ConversationState state,
        String model,
        LocalDate from,
        LocalDate to,
        String reason,
        String text,
        String grade,
        String channel,
        Long before) {

    public static ConversationFilter inState(ConversationState state) {
        return new ConversationFilter(state, null, null, null, null, null, null, null, null);
    }

    public ConversationFilter before(long number) {
        return new ConversationFilter(state, model, from, to, reason, text, grade, channel, number);
    }
}
