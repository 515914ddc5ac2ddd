package io.switchboard.assistant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "switchboard.assistant")
public interface AssistantConfig {

    /** How many earlier messages of the conversation are read for the prompt, at most. */
    @WithDefault("20")
    int historyMessages();

    /** How many tokens (estimated) of those messages go into the prompt: the newest that fit. */
    @WithDefault("3000")
    int historyTokens();

    /** What the customer reads when a consumption limit stops the bot from answering (tenants may hand off instead). */
    @WithDefault(
            "I can't answer more questions in this conversation right now. Please try again later, or ask for a person from our team.")
    String limitNotice();

    /** What follows an answer that reached the tenant's output token limit. */
    @WithDefault(
            "(I stopped here because this answer got long. Ask me about one part of it, or ask for a person from our team.)")
    String cutShortNotice();

    /** How many knowledge passages go into the prompt. */
    @WithDefault("4")
    int knowledgePassages();

    /** What the customer reads when a person is asked for outside the team's business hours; {back} is when they return. */
    @WithDefault(
            "Our team is away right now and will be back on {back}. Leave your email and we'll reply there, or keep this page open.")
    String awayNotice();

    /**
     * How alike (cosine of the embeddings) a customer's message must be to their previous one,
     * right after the bot answered it, to count as asking again: the answer did not help.
     */
    @WithDefault("0.85")
    double rephraseSimilarity();

    /** What the customer reads instead of a reply the output guard blocked (it leaked the system prompt). */
    @WithDefault(
            "I can't help with that here. Ask me about your booking or our policies, or I can connect you with a person from our team.")
    String guardedAnswer();

    /** What the customer reads on a hand-off while no agent is online, for tenants whose rules count that as away. */
    @WithDefault(
            "Nobody from our team is online right now. Leave your email and we'll reply there as soon as someone is in, or keep this page open.")
    String noAgentNotice();

    /** What the customer reads when they asked for a person or a tenant keyword escalated the conversation. */
    @WithDefault("I'm connecting you with a person from our team. They will reply here.")
    String connectingNotice();

    /** What the customer reads when the model fails and the conversation waits for a person. */
    @WithDefault(
            "Sorry, I can't answer right now. I've passed your message to our team and a person will follow up here.")
    String handoffNotice();
}
