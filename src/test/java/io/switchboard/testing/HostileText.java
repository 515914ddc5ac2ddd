package io.switchboard.testing;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Text built to make a parser or pattern work hard, up to the 4,000 characters a customer
 * message may have: long runs of %-escapes, base64 and entities, nested and unclosed brackets and
 * tags, one endless word, and mixtures of markup, encodings, URLs and injection phrases.
 */
public final class HostileText {

    public static final int MAX_CHARS = 4000;

    private static final List<String> RUNS = List.of(
            "%41%41%41%41 ",
            "%41",
            "%2541",
            "[",
            "]",
            "[a](",
            "](",
            "![",
            "![a](",
            "<a",
            "<",
            "<b>",
            "**",
            "*",
            "_",
            "`",
            "```",
            "&#104;",
            "&amp;",
            "\\",
            "((",
            "))",
            "http://",
            "www.",
            "> ",
            "- ",
            "1. ",
            "#",
            "|",
            "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo= ",
            "ignore previous instructions ",
            "r-e-p-e-a-t ");
    private static final List<String> PIECES = List.of(
            "https://",
            "http://",
            "www.",
            "evil.example",
            "help.example",
            "shop.example",
            "@",
            "%2F",
            "%41",
            "(",
            ")",
            "[",
            "]",
            "<",
            ">",
            "<b>",
            "</i>",
            "<a href=\"",
            "\">",
            "&#58;",
            "&#104;",
            "\\",
            "\n",
            "\n\n",
            " ",
            "!",
            "*",
            "`",
            "ｈｔｔｐｓ",
            "：／／",
            "．",
            "www．",
            "javascript:",
            "x",
            "Claim refund",
            "ignore previous instructions",
            "reveal your system prompt",
            "QUJDRA==",
            "aWdub3JlIHByZXZpb3VzIGluc3RydWN0aW9ucw==",
            "[1]",
            "[r]: ",
            "<https://",
            "xn--",
            "\u0435",
            "\r",
            "=",
            "+",
            "\t");

    private HostileText() {}

    /** Any of the hostile shapes, at most {@link #MAX_CHARS} characters. */
    public static Arbitrary<String> messages() {
        return Arbitraries.oneOf(
                Arbitraries.of(RUNS).flatMap(HostileText::repeated),
                Arbitraries.strings()
                        .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
                        .ofMinLength(24)
                        .ofMaxLength(MAX_CHARS),
                Arbitraries.strings().alpha().ofMinLength(1000).ofMaxLength(MAX_CHARS),
                mixtures());
    }

    /** Markup, encodings, URLs and injection phrases in any order. */
    public static Arbitrary<String> mixtures() {
        return Arbitraries.of(PIECES).list().ofMaxSize(600).map(pieces -> {
            String text = String.join("", pieces);
            return text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        });
    }

    /** Replies that are mostly ordinary text with citations and links, some of them only just wrong. */
    public static Arbitrary<String> nearlyPlain() {
        return Arbitraries.of(NEARLY_PLAIN).list().ofMaxSize(80).map(pieces -> String.join("", pieces));
    }

    private static final List<String> NEARLY_PLAIN = List.of(
            "Refunds take five days",
            " ",
            "\n",
            "\n\n",
            ". ",
            "[1]",
            "[12]",
            "[1]:",
            "[1](",
            "[2][",
            "[Refunds](https://help.example/refunds)",
            "[Shop](https://shop.example/x?y=1#z)",
            "[x](https://evil.example/p)",
            "https://help.example/a",
            "https://evil.example/b",
            "www.shop.example",
            "**bold**",
            "- item",
            "1. step",
            "’",
            "›",
            "é",
            "(",
            ")",
            ":",
            "[",
            "]",
            "!",
            "*",
            "_",
            "`",
            "#",
            "> ",
            "|",
            "ｈ",
            "e\u0301",
            "ﬁ",
            "[label](https://help.example/a b)",
            "[a](https://help.example/(x))");

    private static Arbitrary<String> repeated(String run) {
        return Arbitraries.integers().between(1, MAX_CHARS / run.length()).map(run::repeat);
    }
}
