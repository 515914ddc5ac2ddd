package io.switchboard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.switchboard.testing.HostileText;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Articles are written by admins but also imported from files and URLs: chunking and the scan
 * for planted instructions finish within a bound far above their normal cost on any article up
 * to the largest one accepted, and chunking keeps every character of text.
 */
class HostileArticleTest {

    private static final Duration BOUND = Duration.ofSeconds(5);

    /** Hostile text repeated up to the largest article body accepted. */
    @Provide
    Arbitrary<String> articles() {
        return HostileText.messages().map(text -> {
            String body = text.repeat(Math.max(1, ArticleDefinition.MAX_BODY_CHARS / Math.max(1, text.length())));
            return body.length() > ArticleDefinition.MAX_BODY_CHARS
                    ? body.substring(0, ArticleDefinition.MAX_BODY_CHARS)
                    : body;
        });
    }

    @Property(tries = 40)
    void chunkingAnyArticleIsBoundedAndKeepsItsText(@ForAll("articles") String body) {
        List<Chunker.Piece> pieces = assertTimeoutPreemptively(BOUND, () -> Chunker.chunk("Title", body));
        long kept = pieces.stream()
                .mapToLong(piece -> piece.text()
                        .codePoints()
                        .filter(c -> !Character.isWhitespace(c))
                        .count())
                .sum();
        long given = java.util.Arrays.stream(body.replace("\r\n", "\n").split("\n"))
                .filter(line -> !line.matches("#{1,6} .*"))
                .mapToLong(line -> line.codePoints()
                        .filter(c -> !Character.isWhitespace(c))
                        .count())
                .sum();
        assertThat(kept).isEqualTo(given);
    }

    @Property(tries = 40)
    void scanningAnyArticleForPlantedInstructionsIsBounded(@ForAll("articles") String body) {
        assertTimeoutPreemptively(BOUND, () -> InstructionScan.reasonFor("Title", body));
    }
}
