package io.switchboard.handoff;

import io.switchboard.conversation.ConversationService;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Hands conversations to a person: the notice the customer reads (when nobody can answer now,
 * when the team is back) and the move to the queue, for every {@link EscalationReason}.
 */
@ApplicationScoped
public class Escalations {

    private static final DateTimeFormatter BACK_AT =
            DateTimeFormatter.ofPattern("EEEE d MMMM 'at' HH:mm", Locale.ENGLISH);

    private final ConversationService conversations;
    private final Availability availability;
    private final HandoffConfig config;

    public Escalations(ConversationService conversations, Availability availability, HandoffConfig config) {
        this.conversations = conversations;
        this.availability = availability;
        this.config = config;
    }

    /**
     * Tells the customer a person will follow up, or when the team is back if nobody can answer
     * now, and queues the conversation for a person. A conversation already with a person is left
     * as it is. Runs in the tenant's scope.
     */
    public ConversationService.Appended handOff(TenantSettings tenant, UUID conversationId, EscalationReason reason) {
        String text = away(tenant)
                .map(away -> away.back()
                        .map(back -> config.awayNotice()
                                .replace("{back}", back.format(BACK_AT) + " (" + back.getZone() + ")"))
                        .orElse(config.noAgentNotice()))
                .orElse(reason.botFailed() ? config.handoffNotice() : config.connectingNotice());
        return conversations.handOff(conversationId, text, reason.id());
    }

    /** Whether nobody can answer the tenant's customers now: outside business hours, or no agent online when that counts. */
    public Optional<Availability.Away> away(TenantSettings tenant) {
        return availability.away(tenant.id(), EscalationRules.of(tenant), Instant.now());
    }
}
