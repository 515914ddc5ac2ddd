package io.switchboard.conversation;

import io.switchboard.model.ModelService;

/** What the assistant produced, with the tenant configuration version it ran under. */
public record BotReply(ModelService.Answer answer, int configVersion) {
}
