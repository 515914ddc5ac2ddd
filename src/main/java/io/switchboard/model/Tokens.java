package io.switchboard.model;

/** A tokenizer-free estimate of how many tokens a text is, for servers that report no usage and for prompt budgets. */
public final class Tokens {

    /** About four characters per token for English with the BPE vocabularies of open-weight models. */
    private static final int CHARS_PER_TOKEN = 4;

    private Tokens() {}

    public static int estimate(String text) {
        return text.length() / CHARS_PER_TOKEN + 1;
    }
}
