package io.switchboard.model;

import java.util.List;

/**
 * The knowledge a model answers from: the best passages of the tenant's help articles for the
 * customer's question, how similar the best one is, whether that clears the tenant's bar, and the
 * customer's language (ISO 639-1; null when it could not be told), which answers are given in.
 * Each passage carries its article's language.
 */
public record Grounding(List<Passage> passages, double confidence, boolean sufficient, String language) {

    public record Passage(
            String chunkId,
            String articleId,
            String title,
            String url,
            String heading,
            String text,
            double similarity,
            String language) {

        public ModelReply.Citation citation() {
            return new ModelReply.Citation(articleId, title, url);
        }
    }

    public Grounding {
        passages = passages == null ? List.of() : List.copyOf(passages);
    }

    public static Grounding none() {
        return new Grounding(List.of(), 0, false, null);
    }
}
