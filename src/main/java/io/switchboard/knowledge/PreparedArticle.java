package io.switchboard.knowledge;

import java.util.List;
import java.util.UUID;

/**
 * An article ready to store: its content, its passages and their embeddings, and why it is held
 * for review when its text reads like instructions. Everything slow is done by then, so storing it
 * takes only a short transaction.
 */
record PreparedArticle(
        UUID id,
        ArticleDefinition definition,
        List<Chunker.Piece> pieces,
        List<float[]> vectors,
        List<UUID> chunkIds,
        String reviewReason) {

    boolean heldForReview() {
        return reviewReason != null;
    }
}
