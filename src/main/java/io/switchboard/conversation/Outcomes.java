package io.switchboard.conversation;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What became of the conversations started in a period: how many, how many went to a person, and
 * how many the bot resolved (answered, never handed to a person). Usage and analytics both count
 * them this way.
 */
public record Outcomes(long conversations, long escalated, long resolved) {

    /** The cost spread over the resolved conversations; null when none was resolved. */
    public BigDecimal costPerResolved(BigDecimal cost) {
        return resolved == 0 ? null : cost.divide(BigDecimal.valueOf(resolved), 8, RoundingMode.HALF_UP);
    }
}
