package io.switchboard.conversation;

import io.switchboard.model.ModelService;

/**
 * What the assistant produced, with the tenant configuration and model policy versions it ran under and, when the
 * answer should not stand alone, why the conversation goes to a person.
 */
public record BotReply(
        ModelService.Answer answer, int configVersion, int modelPolicyVersion, String escalationReason) {}
