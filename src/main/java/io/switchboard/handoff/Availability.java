package io.switchboard.handoff;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * Whether a person can answer a tenant's customers now: not outside business hours, and not
 * while no agent is online when the tenant's rules count that as away.
 */
@ApplicationScoped
public class Availability {

    /** Nobody can answer now; {@code back} is when the team returns, when business hours say so. */
    public record Away(Optional<ZonedDateTime> back) {}

    private final AgentPresence presence;

    public Availability(AgentPresence presence) {
        this.presence = presence;
    }

    public Optional<Away> away(UUID tenantId, EscalationRules rules, Instant now) {
        Optional<ZonedDateTime> back = rules.awayUntil(now);
        if (back.isPresent()) {
            return Optional.of(new Away(back));
        }
        if (rules.awayWhenNoAgentOnline() && presence.online(tenantId).isEmpty()) {
            return Optional.of(new Away(Optional.empty()));
        }
        return Optional.empty();
    }
}
