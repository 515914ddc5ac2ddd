package io.switchboard.admin;

import io.switchboard.model.Grounding;
import java.util.List;

/**
 * A knowledge search as the API shows it: the articles in rank order, each with its best passage,
 * the confidence of the first and whether it clears the tenant's bar for answering.
 */
public record ArticleSearch(double confidence, boolean answerable, List<Result> results) {

    public record Result(
            String articleId, String title, String url, String heading, String passage, double similarity) {}

    static ArticleSearch of(Grounding grounding) {
        return new ArticleSearch(
                grounding.confidence(),
                grounding.sufficient(),
                grounding.passages().stream()
                        .map(passage -> new Result(
                                passage.articleId(),
                                passage.title(),
                                passage.url(),
                                passage.heading(),
                                passage.text(),
                                passage.similarity()))
                        .toList());
    }
}
