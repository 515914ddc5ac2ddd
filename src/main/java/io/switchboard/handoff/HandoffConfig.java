package io.switchboard.handoff;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What the customer reads when a conversation goes to a person. Under the assistant's prefix, as
 * the customer hears them from the assistant: {@code SWITCHBOARD_ASSISTANT_*_NOTICE}. The
 * defaults are written in the customer's language (28 languages); a text of your own is shown as
 * you wrote it.
 */
@ConfigMapping(prefix = "switchboard.assistant")
public interface HandoffConfig {

    /** What the customer reads when a trigger, a limit or unhelpful answers hand the conversation to a person. */
    @WithDefault("I'm connecting you with a person from our team. They will reply here.")
    String connectingNotice();

    /** What the customer reads when the bot failed (no model could answer, or the answer was unusable) and a person takes over. */
    @WithDefault(
            "Sorry, I can't answer right now. I've passed your message to our team and a person will follow up here.")
    String handoffNotice();

    /** What the customer reads on a hand-off outside business hours; {@code {back}} is when the team returns. */
    @WithDefault(
            "Our team is away right now and will be back on {back}. Leave your email and we'll reply there, or keep this page open.")
    String awayNotice();

    /** What the customer reads on a hand-off while no agent is online (tenants with {@code awayWhenNoAgentOnline}). */
    @WithDefault(
            "Nobody from our team is online right now. Leave your email and we'll reply there as soon as someone is in, or keep this page open.")
    String noAgentNotice();
}
