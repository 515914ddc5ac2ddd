package io.switchboard.insight;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.ml.clustering.Clusterable;
import org.apache.commons.math3.ml.clustering.DBSCANClusterer;

/**
 * Groups customer questions that ask the same thing: DBSCAN (Apache Commons Math) over each
 * question's embedding joined with its keywords (tf-idf over the questions grouped, hashed into a
 * fixed number of dimensions). The small embedding model alone puts "stop the newsletter" and
 * "unsubscribe me from your emails" far apart in messy customer wording; the shared stems bring
 * them together. On the tune split of the Brightcart set, the embeddings alone surfaced 2 of 6
 * topics missing from the help centre, joined with keywords 4 (docs/insights.md).
 */
final class QuestionClusters {

    /** A question to group: its conversation, embedding (unit length) and words. */
    record Question(java.util.UUID conversationId, float[] vector, List<Terms.Term> terms) {}

    static final int KEYWORD_DIMENSIONS = 512;
    /**
     * Two questions are neighbours within this distance of their joined unit vectors (about a
     * cosine of 0.22); a group needs a question with at least {@link #NEIGHBOURS} neighbours.
     */
    static final double RADIUS = 1.25;

    static final int NEIGHBOURS = 2;

    private QuestionClusters() {}

    /** The groups found, each as indexes into {@code questions}; questions in no group are left out. */
    static List<List<Integer>> of(List<Question> questions) {
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (Question question : questions) {
            Set<String> seen = new HashSet<>();
            for (Terms.Term term : question.terms()) {
                if (seen.add(term.stem())) {
                    documentFrequency.merge(term.stem(), 1, Integer::sum);
                }
            }
        }
        List<Point> points = new java.util.ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            points.add(new Point(i, features(questions.get(i), documentFrequency, questions.size())));
        }
        return new DBSCANClusterer<Point>(RADIUS, NEIGHBOURS)
                .cluster(points).stream()
                        .map(cluster ->
                                cluster.getPoints().stream().map(Point::index).toList())
                        .toList();
    }

    private static double[] features(Question question, Map<String, Integer> documentFrequency, int questions) {
        double[] features = new double[question.vector().length + KEYWORD_DIMENSIONS];
        for (int i = 0; i < question.vector().length; i++) {
            features[i] = question.vector()[i];
        }
        Map<String, Integer> counts = new HashMap<>();
        question.terms().forEach(term -> counts.merge(term.stem(), 1, Integer::sum));
        double[] keywords = new double[KEYWORD_DIMENSIONS];
        counts.forEach((stem, count) -> keywords[Math.floorMod(stem.hashCode(), KEYWORD_DIMENSIONS)] +=
                (1 + Math.log(count)) * Math.log((double) questions / documentFrequency.get(stem)));
        double keywordLength = length(keywords);
        for (int i = 0; i < KEYWORD_DIMENSIONS; i++) {
            features[question.vector().length + i] = keywordLength == 0 ? 0 : keywords[i] / keywordLength;
        }
        double total = length(features);
        for (int i = 0; i < features.length; i++) {
            features[i] /= total;
        }
        return features;
    }

    private static double length(double[] vector) {
        double sum = 0;
        for (double value : vector) {
            sum += value * value;
        }
        return Math.sqrt(sum);
    }

    private record Point(int index, double[] features) implements Clusterable {

        @Override
        public double[] getPoint() {
            return features;
        }
    }
}
