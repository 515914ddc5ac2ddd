package io.switchboard.assistant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What the assistant reads for its prompt, and what the customer reads when it cannot answer: the
 * default texts are written in the customer's language (28 languages); a text of your own is shown
 * as you wrote it.
 */
@ConfigMapping(prefix = "switchboard.assistant")
public interface AssistantConfig {

    /** How many earlier messages of the conversation are read for the prompt, at most. */
    @WithDefault("20")
    int historyMessages();

    /** How many tokens (estimated) of those messages go into the prompt: the newest that fit (the message being answered always goes). */
    @WithDefault("3000")
    int historyTokens();

    /**
     * What the customer reads when a consumption limit stops the bot from answering (tenants with
     * {@code onExceeded: handoff} hand off instead).
     */
    @WithDefault(
            "I can't answer more questions in this conversation right now. Please try again later, or ask for a person from our team.")
    String limitNotice();

    /** What follows an answer that reached the tenant's output token limit. */
    @WithDefault(
            "(I stopped here because this answer got long. Ask me about one part of it, or ask for a person from our team.)")
    String cutShortNotice();

    /** How many knowledge passages go into the prompt of each answer. */
    @WithDefault("4")
    int knowledgePassages();

    /**
     * How alike (cosine of the embeddings) a customer's message must be to their previous one,
     * right after the bot answered it, to count as asking again: that answer then counts as unhelpful.
     */
    @WithDefault("0.85")
    double rephraseSimilarity();

    /** What the customer reads instead of a reply the output guard blocked (it leaked the system prompt). */
    @WithDefault(
            "I can't help with that here. Ask me about your booking or our policies, or I can connect you with a person from our team.")
    String guardedAnswer();
}
