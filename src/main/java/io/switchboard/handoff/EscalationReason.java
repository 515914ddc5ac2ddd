package io.switchboard.handoff;

import java.util.Locale;

/**
 * Why a conversation went to a person. The {@link #id()} is what transcripts, events, analytics,
 * metrics and evaluations show.
 */
public enum EscalationReason {
    /** The customer asked for a person, in words or with the widget's button. */
    CUSTOMER_REQUEST,
    /** The customer wrote one of the tenant's escalation keywords. */
    KEYWORD,
    /** The message looks like a prompt injection, and the tenant sends those to a person. */
    PROMPT_INJECTION,
    /** The customer marked, or asked again after, the tenant's number of answers in a row. */
    UNHELPFUL_ANSWERS,
    /** The knowledge base did not support an answer well enough. */
    LOW_CONFIDENCE,
    /** The model answered with something no person should read (template tokens, garbled text). */
    UNPARSABLE_ANSWER,
    /**
     * The tenant requires citations, the model's reply cited no knowledge passage, and the
     * knowledge base did not answer the question well enough to answer in its place.
     */
    UNGROUNDED,
    /** No model of the policy could answer. */
    MODEL_FAILURE,
    /**
     * The tenant's actions did not get the customer's request done: the same action failed twice
     * in one turn, or the model kept calling actions up to the tenant's limit per turn.
     */
    ACTION_FAILED,
    /** The tenant's monthly model budget is spent and its policy hands off. */
    BUDGET_EXCEEDED,
    /** A consumption limit is reached and the tenant's limits hand off: one per limit. */
    LIMIT_OUTPUT_TOKENS_PER_TURN,
    LIMIT_TURNS_PER_CONVERSATION,
    LIMIT_TOKENS_PER_CONVERSATION,
    LIMIT_CONTACT_TOKEN_RATE,
    LIMIT_TENANT_TOKEN_RATE,
    /** The conversation's channel has the bot switched off: every conversation goes to a person. */
    BOT_OFF;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The bot failed: the customer hears an apology rather than "connecting you with a person". */
    boolean botFailed() {
        return this == UNPARSABLE_ANSWER || this == MODEL_FAILURE || this == ACTION_FAILED || this == BUDGET_EXCEEDED;
    }

    /** The customer's question needed a person because the bot could not answer it (what a replay scores against). */
    public static boolean botCouldNotAnswer(String id) {
        return LOW_CONFIDENCE.id().equals(id) || UNHELPFUL_ANSWERS.id().equals(id);
    }
}
