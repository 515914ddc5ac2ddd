package io.switchboard.conversation;

import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * How the conversations drawn for a canary model did next to the others started since: computed
 * by PostgreSQL from the conversations and messages themselves, so every replica agrees.
 */
@ApplicationScoped
public class ArmOutcomes {

    /**
     * One group of conversations: how many, how many escalated, bot answers and those marked
     * unhelpful, failed turns (answered by another model than the arm's, or handed off for a model
     * error), 95th percentile answer latency and mean cost per answer.
     */
    public record Arm(
            long conversations,
            long escalated,
            long answers,
            long unhelpful,
            long failedTurns,
            Double latencyP95Millis,
            BigDecimal costPerAnswerUsd) {

        public static final Arm EMPTY = new Arm(0, 0, 0, 0, 0, null, null);

        public double escalationRate() {
            return conversations == 0 ? 0 : (double) escalated / conversations;
        }

        public double unhelpfulRate() {
            return answers == 0 ? 0 : (double) unhelpful / answers;
        }

        public double errorRate() {
            long turns = answers + failedTurns;
            return turns == 0 ? 0 : (double) failedTurns / turns;
        }
    }

    public record Comparison(Arm primary, Arm canary) {}

    private final EntityManager entities;

    public ArmOutcomes(EntityManager entities) {
        this.entities = entities;
    }

    /**
     * Conversations started since then, by arm. A canary turn counts as failed when another model
     * answered it (the canary failed before its first token and the turn fell back), or when the
     * conversation was handed off because a model failed or answered unusably.
     */
    @Transactional
    public Comparison since(Instant since, String canaryEndpoint, String canaryModel) {
        UUID tenant = TenantScope.require();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("""
                select c.canary,
                       count(distinct c.id),
                       count(distinct c.id) filter (where c.escalated_at is not null),
                       count(m.id) filter (where m.role = 'bot'),
                       count(m.id) filter (where m.role = 'bot' and m.feedback = 'unhelpful'),
                       count(m.id) filter (where m.role = 'bot' and c.canary
                                             and (m.model_endpoint <> :endpoint or m.model_name <> :model))
                         + count(distinct c.id) filter (where c.escalation_reason in ('model_failure', 'unparsable_answer')),
                       percentile_cont(0.95) within group (order by m.latency_ms) filter (where m.role = 'bot'),
                       avg(m.cost_usd) filter (where m.role = 'bot')
                from conversation c
                left join message m on m.tenant_id = c.tenant_id and m.conversation_id = c.id
                where c.tenant_id = :tenant and c.created_at >= :since
                group by c.canary""")
                .setParameter("tenant", tenant)
                .setParameter("since", since)
                .setParameter("endpoint", canaryEndpoint)
                .setParameter("model", canaryModel)
                .getResultList();
        Arm primary = Arm.EMPTY;
        Arm canary = Arm.EMPTY;
        for (Object[] row : rows) {
            Arm arm = new Arm(
                    number(row[1]),
                    number(row[2]),
                    number(row[3]),
                    number(row[4]),
                    number(row[5]),
                    row[6] == null ? null : ((Number) row[6]).doubleValue(),
                    row[7] == null ? null : new BigDecimal(row[7].toString()));
            if (Boolean.TRUE.equals(row[0])) {
                canary = arm;
            } else {
                primary = arm;
            }
        }
        return new Comparison(primary, canary);
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
