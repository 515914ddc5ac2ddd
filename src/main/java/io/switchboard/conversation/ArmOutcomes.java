package io.switchboard.conversation;

import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
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

    private final ConversationRepository conversations;

    public ArmOutcomes(ConversationRepository conversations) {
        this.conversations = conversations;
    }

    /**
     * Conversations started since then, by arm. A canary turn counts as failed when another model
     * answered it (the canary failed before its first token and the turn fell back), or when the
     * conversation was handed off because a model failed or answered unusably.
     */
    @Transactional
    public Comparison since(Instant since, String canaryEndpoint, String canaryModel) {
        UUID tenant = TenantScope.require();
        Map<Boolean, Arm> arms = conversations.arms(tenant, since, canaryEndpoint, canaryModel);
        return new Comparison(arms.getOrDefault(false, Arm.EMPTY), arms.getOrDefault(true, Arm.EMPTY));
    }
}
