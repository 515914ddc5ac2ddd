package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * An action as a tenant admin writes it (create or replace). Absent optional fields take their
 * defaults: an empty object schema, a verified customer required, confirmation for anything but
 * GET, {@link #DEFAULT_TIMEOUT_MS}, enabled.
 *
 * @param timeout milliseconds the tenant's API has to answer, {@value #MIN_TIMEOUT_MS}–{@value #MAX_TIMEOUT_MS}
 */
public record ActionDefinition(
        @NotBlank @Pattern(regexp = "[a-z0-9_]{1,64}", message = "must be 1 to 64 of a-z, 0-9 and _")
        String name,

        @NotBlank @Size(max = 1000) String description,

        @NotBlank @Pattern(regexp = "GET|POST|PUT|PATCH|DELETE", message = "must be GET, POST, PUT, PATCH or DELETE")
        String method,

        @NotBlank @Size(max = 2000) String url,
        JsonNode parameters,
        Boolean requiresVerifiedCustomer,
        Boolean confirm,

        @Min(value = MIN_TIMEOUT_MS, message = "must be at least " + MIN_TIMEOUT_MS + " ms")
        @Max(value = MAX_TIMEOUT_MS, message = "must be at most " + MAX_TIMEOUT_MS + " ms")
        Integer timeout,

        Boolean enabled) {

    public static final int MIN_TIMEOUT_MS = 100;
    public static final int MAX_TIMEOUT_MS = 30_000;
    public static final int DEFAULT_TIMEOUT_MS = 10_000;
}
