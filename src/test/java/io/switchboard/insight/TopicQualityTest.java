package io.switchboard.insight;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.knowledge.QualityRun;
import io.switchboard.knowledge.QualitySet;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Topics and gaps on the held-out split of the Brightcart set (questions of known intent written
 * by others; nothing was tuned on them): each message is a conversation of its own, asked through
 * the widget API of a tenant on the built-in answerer and grouped by the background analysis. Each
 * floor is the level measured when it was set, minus a small margin (docs/insights.md).
 */
@QuarkusTest
class TopicQualityTest {

    private static final Logger LOG = Logger.getLogger(TopicQualityTest.class);
    /** Taken out of the help centre for the gap test: six topics a shop's help centre might lack. */
    static final Set<String> LEFT_OUT = Set.of(
            "newsletter-subscription",
            "delete-account",
            "get-invoice",
            "check-payment-methods",
            "delivery-period",
            "review");

    private static final int TOPICS_COUNTED = 40;
    /** The split asked: the held-out one unless tuning asks for {@code -Dinsights.split=tune}. */
    private static final String SPLIT = System.getProperty("insights.split", "heldout");

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI base;

    @Test
    void topicsGroupUnseenQuestionsByWhatTheCustomerWanted() throws Exception {
        QualitySet set = QualitySet.load(SPLIT);
        String tenant = tenants.create(TestTenants.retrieval()).slug();
        Map<String, String> wanted =
                wanted(QualityRun.prepare(base, platformKey, tenant, set).ask(set.questions()));
        JsonPath topics = grouped(tenant, "topics", wanted.size());

        List<List<String>> groups = topics.getList("topics.conversationIds");
        int inTopics = groups.stream().mapToInt(List::size).sum();
        assertThat(inTopics).as("every topic lists all its conversations").isEqualTo(topics.getInt("inTopics"));
        long majority =
                groups.stream().mapToLong(group -> largestShare(group, wanted)).sum();
        double purity = (double) majority / inTopics;
        double covered = (double) groups.stream()
                        .map(List::size)
                        .sorted(Comparator.reverseOrder())
                        .limit(TOPICS_COUNTED)
                        .mapToInt(Integer::intValue)
                        .sum()
                / wanted.size();
        LOG.infof(
                "Topics of %d conversations of the %s split: %d topics, weighted purity %.3f, the largest %d cover %.3f",
                wanted.size(), SPLIT, groups.size(), purity, TOPICS_COUNTED, covered);
        // Measured 0.741-0.743 and 0.884 on the held-out split (0.747 and 0.900 on the tune split).
        assertThat(purity).as("weighted purity").isGreaterThanOrEqualTo(0.72);
        assertThat(covered)
                .as("share of conversations in the largest 40 topics")
                .isGreaterThanOrEqualTo(0.86);
    }

    @Test
    void topicsTheHelpCentreLacksSurfaceAsGaps() throws Exception {
        QualitySet set = QualitySet.load(SPLIT);
        String tenant = tenants.create(TestTenants.retrieval()).slug();
        Map<String, String> wanted = wanted(
                QualityRun.prepare(base, platformKey, tenant, set, LEFT_OUT).ask(set.questions()));
        JsonPath gaps = grouped(tenant, "gaps", wanted.size());

        List<List<String>> groups = gaps.getList("gaps.conversationIds");
        Set<String> surfaced = new TreeSet<>();
        long listed = 0;
        long lacking = 0;
        for (List<String> group : groups) {
            Map<String, Long> topics =
                    group.stream().collect(Collectors.groupingBy(wanted::get, Collectors.counting()));
            String largest = topics.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .orElseThrow()
                    .getKey();
            if (LEFT_OUT.contains(largest)) {
                surfaced.add(largest);
            }
            listed += group.size();
            lacking += group.stream()
                    .filter(conversation -> LEFT_OUT.contains(wanted.get(conversation))
                            || QualitySet.OFF_TOPIC.equals(wanted.get(conversation)))
                    .count();
        }
        double lackingShare = listed == 0 ? 0 : (double) lacking / listed;
        LOG.infof(
                "Gaps of the %s split with %s left out: %d gaps, %d of 6 left-out topics surfaced %s, %d of %d listed conversations lack an article (%.3f)",
                SPLIT, LEFT_OUT, groups.size(), surfaced.size(), surfaced, lacking, listed, lackingShare);
        // Measured 1 of 6 and 0.583-0.618 on the held-out split, short of the goal of 4 and 0.70 (4 and
        // 0.741 on the tune split): docs/insights.md.
        assertThat(surfaced)
                .as("left-out topics that are the largest part of a gap")
                .isNotEmpty();
        assertThat(lackingShare)
                .as("share of the gaps' conversations that lack an article")
                .isGreaterThanOrEqualTo(0.55);
    }

    /** What each conversation's customer wanted: the topic of its message, "person" or "-" for off-topic. */
    private static Map<String, String> wanted(List<QualityRun.Outcome> outcomes) {
        return outcomes.stream()
                .collect(Collectors.toMap(
                        QualityRun.Outcome::conversation,
                        outcome -> outcome.question().expected()));
    }

    private static long largestShare(List<String> group, Map<String, String> wanted) {
        Map<String, Long> topics =
                group.stream().collect(Collectors.groupingBy(wanted::get, HashMap::new, Collectors.counting()));
        return topics.values().stream().max(Long::compare).orElse(0L);
    }

    /** The tenant's topics or gaps once every conversation is analysed and grouped. */
    private JsonPath grouped(String tenant, String report, int conversations) {
        String admin = AdminClient.newKey(platformKey, tenant, "tenant-admin");
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    JsonPath topics = as(admin)
                            .get("/api/v1/tenants/{tenant}/insights/topics", tenant)
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    return topics.getInt("analysed") == conversations && topics.getBoolean("grouped");
                });
        return as(admin)
                .get("/api/v1/tenants/{tenant}/insights/" + report, tenant)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
