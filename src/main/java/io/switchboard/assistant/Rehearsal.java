package io.switchboard.assistant;

import io.switchboard.model.ModelService;

/**
 * A rehearsed turn ({@link AssistantService#rehearse}): the answer (none when a rule or a failure
 * decided), the reason it would have gone to a person (null when the bot would have answered), and
 * whether a deterministic rule decided that, the same for every model.
 */
public record Rehearsal(ModelService.Answer answer, String escalation, boolean byRule) {}
