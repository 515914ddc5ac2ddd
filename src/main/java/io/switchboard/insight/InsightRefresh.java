package io.switchboard.insight;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.platform.RequestContexts;
import io.switchboard.platform.TenantScope;
import io.switchboard.platform.WorkLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps topics and gaps current as conversations arrive: analyses each conversation once it has
 * been quiet for a while (and again after it changes), then regroups the tenants whose weakly
 * answered questions changed: once the backlog is done, or every few minutes while it lasts.
 * Any replica may analyse; regrouping a tenant is one replica's at a time.
 */
@ApplicationScoped
public class InsightRefresh {

    private static final Logger LOG = Logger.getLogger(InsightRefresh.class);
    private static final int BATCH = 50;
    /** While a backlog lasts, a tenant is regrouped at most this often. */
    private static final Duration REGROUP_DURING_BACKLOG = Duration.ofMinutes(5);

    private final InsightRepository repository;
    private final ConversationAnalysis analysis;
    private final Grouping grouping;
    private final InsightsConfig config;
    private final WorkLoop loop;
    /** Tenants whose weakly answered questions changed since they were last regrouped. */
    private final Set<UUID> changed = ConcurrentHashMap.newKeySet();
    /** When each tenant was last regrouped on this replica. */
    private final Map<UUID, Instant> regrouped = new ConcurrentHashMap<>();

    InsightRefresh(
            InsightRepository repository, ConversationAnalysis analysis, Grouping grouping, InsightsConfig config) {
        this.repository = repository;
        this.analysis = analysis;
        this.grouping = grouping;
        this.config = config;
        this.loop = new WorkLoop("insight-refresh", BATCH, config.pause(), this::refresh);
    }

    void start(@Observes StartupEvent started) {
        if (config.enabled()) {
            loop.start();
        }
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        loop.stop(Duration.ofSeconds(10));
    }

    private int refresh() {
        try {
            List<InsightRepository.Due> due = TenantScope.asPlatform(
                    "insight analysis",
                    () -> RequestContexts.within(() ->
                            QuarkusTransaction.requiringNew().call(() -> repository.due(config.settle(), BATCH))));
            for (InsightRepository.Due conversation : due) {
                analyse(conversation);
            }
            boolean backlog = due.size() == BATCH;
            Instant now = Instant.now();
            for (UUID tenant : List.copyOf(changed)) {
                if (!backlog
                        || regrouped
                                .getOrDefault(tenant, Instant.EPOCH)
                                .plus(REGROUP_DURING_BACKLOG)
                                .isBefore(now)) {
                    changed.remove(tenant);
                    regrouped.put(tenant, now);
                    regroup(tenant);
                }
            }
            return due.size();
        } catch (RuntimeException e) {
            LOG.warnf("Analysing conversations for insights failed; retrying: %s", e.getMessage());
            return 0;
        }
    }

    private void regroup(UUID tenant) {
        try {
            TenantScope.run(tenant, () -> grouping.regroup(tenant));
        } catch (RuntimeException e) {
            LOG.warnf("Could not regroup the conversations of tenant %s for insights: %s", tenant, e.getMessage());
        }
    }

    private void analyse(InsightRepository.Due conversation) {
        try {
            if (TenantScope.call(
                    conversation.tenantId(),
                    () -> analysis.analyse(conversation.tenantId(), conversation.conversationId()))) {
                changed.add(conversation.tenantId());
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Could not analyse conversation %s of tenant %s for insights: %s",
                    conversation.conversationId(), conversation.tenantId(), e.getMessage());
        }
    }
}
