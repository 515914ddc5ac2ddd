package io.switchboard.handoff;

import io.switchboard.conversation.AgentActions;
import io.switchboard.events.EventType;
import io.switchboard.events.SharedEvents;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * For tenants whose rules say {@code assignment: round-robin}: a conversation that starts
 * waiting for a person goes at once to the next online agent in turn. Runs once per event for
 * the whole platform (the shared consumer group), so two replicas never both assign it. With
 * nobody online it stays in the queue for whoever opens the inbox first.
 */
@ApplicationScoped
public class RoundRobinAssignment {

    private static final Logger LOG = Logger.getLogger(RoundRobinAssignment.class);

    private final TenantService tenants;
    private final AgentPresence presence;
    private final AgentActions agentActions;

    public RoundRobinAssignment(TenantService tenants, AgentPresence presence, AgentActions agentActions) {
        this.tenants = tenants;
        this.presence = presence;
        this.agentActions = agentActions;
    }

    void onEscalated(@Observes SharedEvents.Once once) {
        if (!EventType.CONVERSATION_ESCALATED.topic().equals(once.event().type())) {
            return;
        }
        UUID tenantId = once.event().tenantId();
        boolean roundRobin = tenants.findById(tenantId)
                .map(tenant -> EscalationRules.of(tenant).assignment() == EscalationRules.Assignment.ROUND_ROBIN)
                .orElse(false);
        if (!roundRobin) {
            return;
        }
        UUID conversationId = UUID.fromString(once.event().key());
        presence.nextInTurn(tenantId).ifPresent(agent -> {
            try {
                TenantScope.run(tenantId, () -> agentActions.assign(conversationId, agent, AgentActions.TEAM_MEMBER));
                LOG.infof("Conversation %s assigned to the next agent in turn", conversationId);
            } catch (ProblemException alreadyTaken) {
                LOG.debugf(
                        "Conversation %s was taken or closed before round-robin: %s",
                        conversationId, alreadyTaken.getMessage());
            }
        });
    }
}
