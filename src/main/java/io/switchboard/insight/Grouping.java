package io.switchboard.insight;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Regroups a tenant's questions that no article answers into topics, and those answered badly
 * into knowledge gaps, each a cluster of questions alike; relabels the article topics too. The two
 * are clustered apart: asks for a person (a topic no article answers, never a gap) would otherwise
 * bridge unrelated gaps. A cluster keeps its id across regroups while most of its questions stay
 * together, so what an admin opened or edited stays put.
 */
@ApplicationScoped
class Grouping {

    private static final Logger LOG = Logger.getLogger(Grouping.class);
    /** Questions read for the words a tenant's customers use at large, against which a group's own words stand out. */
    private static final int BACKGROUND = 3000;
    /** Questions of a topic read to label it. */
    private static final int LABELLED = 200;

    private final InsightRepository repository;
    private final InsightsConfig config;

    Grouping(InsightRepository repository, InsightsConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /** Regroups the tenant in scope, unless another replica is doing so. */
    void regroup(UUID tenantId) {
        long started = System.nanoTime();
        Instant began = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> {
            if (!repository.lockForGrouping(tenantId)) {
                return;
            }
            Instant since = Instant.now().minus(config.window());
            KeyPhrases.Background background = new KeyPhrases.Background();
            repository.latest(since, BACKGROUND).forEach(question -> background.add(terms(question)));
            int topics = regroup(tenantId, "topic", repository.unanswered(since, config.maxClustered()), background);
            int gaps = regroup(tenantId, "gap", repository.answeredBadly(since, config.maxClustered()), background);
            for (UUID topic : repository.groups("article")) {
                List<List<Terms.Term>> questions = repository.ofTopic(topic, LABELLED).stream()
                        .map(Grouping::terms)
                        .toList();
                repository.relabel(topic, KeyPhrases.label(questions, background));
            }
            repository.grouped(tenantId, began);
            LOG.infof(
                    "Regrouped the conversations of tenant %s: %d topic(s) no article answers, %d gap(s) in %d ms",
                    tenantId, topics, gaps, (System.nanoTime() - started) / 1_000_000);
        });
    }

    /** Clusters these questions into groups of the kind; returns how many groups there are now. */
    private int regroup(
            UUID tenantId, String kind, List<InsightRepository.Analysed> weak, KeyPhrases.Background background) {
        List<List<Terms.Term>> terms = weak.stream().map(Grouping::terms).toList();
        List<QuestionClusters.Question> questions = new ArrayList<>();
        for (int i = 0; i < weak.size(); i++) {
            questions.add(new QuestionClusters.Question(
                    weak.get(i).conversationId(), weak.get(i).vector(), terms.get(i)));
        }
        List<List<Integer>> clusters = new ArrayList<>(QuestionClusters.of(questions));
        clusters.sort(Comparator.comparingInt((List<Integer> cluster) -> cluster.size())
                .reversed());
        Set<UUID> before = new HashSet<>(repository.groups(kind));
        Set<UUID> kept = new HashSet<>();
        Set<UUID> grouped = new HashSet<>();
        for (List<Integer> cluster : clusters) {
            List<InsightRepository.Analysed> members =
                    cluster.stream().map(weak::get).toList();
            String label = KeyPhrases.label(cluster.stream().map(terms::get).toList(), background);
            UUID id = heir(members, "gap".equals(kind), before, kept);
            if (id == null) {
                id = UUID.randomUUID();
                repository.createGroup(tenantId, id, kind, label);
            } else {
                repository.relabel(id, label);
            }
            kept.add(id);
            List<UUID> conversations = members.stream()
                    .map(InsightRepository.Analysed::conversationId)
                    .toList();
            repository.assign(kind, conversations, id);
            grouped.addAll(conversations);
        }
        repository.assign(
                kind,
                weak.stream()
                        .map(InsightRepository.Analysed::conversationId)
                        .filter(conversation -> !grouped.contains(conversation))
                        .toList(),
                null);
        before.removeAll(kept);
        repository.deleteGroups(before);
        return kept.size();
    }

    /** The earlier group most of these questions were in, if no larger group has taken it already. */
    private static UUID heir(List<InsightRepository.Analysed> members, boolean gap, Set<UUID> before, Set<UUID> taken) {
        Map<UUID, Long> earlier = members.stream()
                .map(member -> gap ? member.gapId() : member.topicId())
                .filter(Objects::nonNull)
                .filter(before::contains)
                .filter(group -> !taken.contains(group))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        return earlier.entrySet().stream()
                .max(Map.Entry.<UUID, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    private static List<Terms.Term> terms(InsightRepository.Analysed question) {
        return Terms.of(question.question(), question.language());
    }
}
