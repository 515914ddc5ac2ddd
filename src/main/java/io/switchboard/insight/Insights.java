package io.switchboard.insight;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.knowledge.ArticleDefinition;
import io.switchboard.knowledge.KnowledgeService;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.tenant.CurrentTenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Topics (what customers want) and knowledge gaps (what the assistant could not answer well) of
 * a period, as the background analysis grouped them, and publishing a gap's suggested article.
 */
@ApplicationScoped
public class Insights {

    /** The article a topic is answered from. */
    public record ArticleRef(UUID id, String title) {}

    /**
     * {@code csat}: the average "How did we do?" score of its rated conversations (null when none
     * was rated). {@code trend}: the change in the topic's conversations against the period of the same length
     * just before (0.5 = half as many again); null when it had none then.
     */
    public record Topic(
            UUID id,
            String label,
            long conversations,
            List<UUID> conversationIds,
            double resolvedRate,
            double escalatedRate,
            double unhelpfulRate,
            Double csat,
            Double trend,
            ArticleRef article) {}

    /**
     * {@code analysed}: how many of the period's conversations were analysed yet; {@code inTopics}:
     * how many fell in a topic; {@code grouped}: whether the groups include everything analysed;
     * {@code waiting}: the analysed conversations the next regrouping will add.
     */
    public record Topics(
            Instant from,
            Instant to,
            long conversations,
            long analysed,
            long inTopics,
            boolean grouped,
            long waiting,
            List<Topic> topics) {}

    /** A draft article from what agents answered in the gap's conversations. */
    public record SuggestedArticle(String title, String body) {}

    /** {@code customers}: the distinct contacts affected, by which gaps are ranked. */
    public record Gap(
            UUID id,
            String label,
            long conversations,
            long customers,
            List<UUID> conversationIds,
            List<String> examples,
            Map<String, Long> reasons,
            SuggestedArticle suggestedArticle) {}

    /** {@code grouped}: whether the gaps include everything analysed; {@code waiting}: as in {@link Topics}. */
    public record Gaps(Instant from, Instant to, boolean grouped, long waiting, List<Gap> gaps) {}

    /** The days topics and gaps cover when no period is asked for. */
    public static final int DEFAULT_DAYS = 30;

    static final int MAX_GROUPS = 100;
    static final int EXAMPLES = 5;
    /** Agents' answers a suggested article is drafted from. */
    private static final int DRAFTED_FROM = 5;
    /** Questions of a gap read to find its most typical one, the suggested article's title. */
    private static final int TYPICAL_OF = 200;

    private static final int MAX_TITLE = 200;

    private final InsightReportRepository reports;
    private final InsightsConfig config;
    private final KnowledgeService knowledge;
    private final CurrentTenant current;
    private final MeterRegistry metrics;

    Insights(
            InsightReportRepository reports,
            KnowledgeService knowledge,
            CurrentTenant current,
            MeterRegistry metrics,
            InsightsConfig config) {
        this.reports = reports;
        this.config = config;
        this.knowledge = knowledge;
        this.current = current;
        this.metrics = metrics;
    }

    @Transactional
    public Topics topics(Instant from, Instant to) {
        Map<UUID, Long> before = reports.topicSizes(from.minus(java.time.Duration.between(from, to)), from);
        List<Topic> topics = reports.groups("topic_id", from, to, MAX_GROUPS).stream()
                .map(group -> {
                    Long earlier = before.get(group.id());
                    return new Topic(
                            group.id(),
                            group.label(),
                            group.conversations(),
                            group.conversationIds(),
                            rate(group.resolved(), group.conversations()),
                            rate(group.escalated(), group.conversations()),
                            rate(group.unhelpful(), group.conversations()),
                            group.csat(),
                            earlier == null ? null : rate(group.conversations() - earlier, earlier),
                            article(group.articleId()));
                })
                .toList();
        long[] counts = reports.analysed(from, to);
        long waiting = reports.waiting(Instant.now().minus(config.settle()));
        return new Topics(from, to, counts[0], counts[1], counts[2], grouped(waiting), waiting, topics);
    }

    @Transactional
    public Gaps gaps(Instant from, Instant to) {
        List<Gap> gaps = new ArrayList<>();
        for (InsightReportRepository.GroupCount group : reports.groups("gap_id", from, to, MAX_GROUPS)) {
            List<Object[]> questions = reports.questionsOfGap(group.id(), from, to, TYPICAL_OF);
            gaps.add(new Gap(
                    group.id(),
                    group.label(),
                    group.conversations(),
                    group.contacts(),
                    group.conversationIds(),
                    questions.stream()
                            .limit(EXAMPLES)
                            .map(row -> (String) row[0])
                            .toList(),
                    group.reasons(),
                    suggestion(group.id(), questions)));
        }
        long waiting = reports.waiting(Instant.now().minus(config.settle()));
        return new Gaps(from, to, grouped(waiting), waiting, gaps);
    }

    /** Publishes the gap's article: the admin's edit of it, or the suggestion as it stands. */
    @Transactional
    public KnowledgeService.ArticleView publish(UUID gapId, ArticleDefinition edited) {
        if (!reports.gapExists(gapId)) {
            throw ProblemException.notFound("Gap");
        }
        SuggestedArticle suggested =
                suggestion(gapId, reports.questionsOfGap(gapId, Instant.EPOCH, Instant.now(), TYPICAL_OF));
        if (edited != null) {
            return published(knowledge.create(edited), suggested == null || !suggested.equals(asSent(edited)));
        }
        if (suggested == null) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "No agent has answered this gap's questions yet, so there is no suggested article: send the article to publish");
        }
        return published(
                knowledge.create(
                        new ArticleDefinition(null, suggested.title(), suggested.body(), null, List.of(), null)),
                false);
    }

    /** The article as sent, comparable with the suggestion (a browser's form sends line breaks as CRLF). */
    private static SuggestedArticle asSent(ArticleDefinition article) {
        return new SuggestedArticle(
                article.title().replace("\r\n", "\n"), article.body().replace("\r\n", "\n"));
    }

    /** Counts a gap closed by an article, and whether the admin changed the suggestion first. */
    private KnowledgeService.ArticleView published(KnowledgeService.ArticleView article, boolean edited) {
        metrics.counter(
                        "switchboard.insights.articles.published",
                        "tenant",
                        current.get().slug(),
                        "edited",
                        String.valueOf(edited))
                .increment();
        return article;
    }

    /** A draft from the agents' answers, titled with the gap's most typical question; null when no agent answered. */
    private SuggestedArticle suggestion(UUID gapId, List<Object[]> questions) {
        Set<String> answers = new LinkedHashSet<>(reports.agentReplies(gapId, DRAFTED_FROM).stream()
                .map(String::strip)
                .filter(answer -> !answer.isEmpty())
                .toList());
        if (answers.isEmpty() || questions.isEmpty()) {
            return null;
        }
        String title = typical(questions).strip().replaceAll("\\s+", " ");
        return new SuggestedArticle(
                title.length() <= MAX_TITLE ? title : title.substring(0, MAX_TITLE), String.join("\n\n", answers));
    }

    /** The question nearest the middle of the group (the highest similarity to the group's mean). */
    private static String typical(List<Object[]> questions) {
        List<float[]> vectors = questions.stream()
                .map(row -> InsightRepository.floats((byte[]) row[1]))
                .toList();
        float[] mean = new float[vectors.get(0).length];
        vectors.forEach(vector -> {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += vector[i];
            }
        });
        int best = 0;
        double bestSimilarity = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vectors.size(); i++) {
            double similarity = 0;
            for (int d = 0; d < mean.length; d++) {
                similarity += mean[d] * vectors.get(i)[d];
            }
            if (similarity > bestSimilarity) {
                bestSimilarity = similarity;
                best = i;
            }
        }
        return (String) questions.get(best)[0];
    }

    private boolean grouped(long waiting) {
        return waiting == 0 && reports.labelled();
    }

    private ArticleRef article(UUID articleId) {
        if (articleId == null) {
            return null;
        }
        try {
            return new ArticleRef(articleId, knowledge.get(articleId).title());
        } catch (ProblemException deleted) {
            return null;
        }
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}
