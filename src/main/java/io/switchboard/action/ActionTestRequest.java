package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A tenant admin's test of an action: sample arguments, checked against its schema like a model's,
 * and the customer id the call carries as {@code Switchboard-Customer-Id} (none when absent).
 */
public record ActionTestRequest(
        JsonNode arguments,

        @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String customerId) {}
