package io.switchboard.handoff;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A tenant's own escalation rules: words that send a conversation to a person at once ("chargeback", "lawyer"). */
public record EscalationRules(@Size(max = 100) List<@NotBlank @Size(max = 60) String> keywords) {

    public EscalationRules {
        keywords = keywords == null ? List.of() : List.copyOf(keywords);
    }

    public static EscalationRules none() {
        return new EscalationRules(List.of());
    }
}
