package io.switchboard.action;

/** What {@link ActionService#prepare} decided: a call ready to make (after confirmation when it says so), or a refusal. */
public sealed interface Preparation {

    record Ready(PreparedCall call) implements Preparation {}

    /** Not to be made; the outcome (refused or invalid arguments) is recorded and can go back to the model. */
    record Refused(ActionOutcome outcome) implements Preparation {}
}
