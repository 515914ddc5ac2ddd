package io.switchboard.conversation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Size;

/**
 * Who the customer says they are: the tenant's own user id, name and email. Only the platform
 * marks them {@code verified}, after checking the tenant's identity proof.
 */
public record ContactDetails(
        @Size(max = 200) String id,
        @Size(max = 200) String name,
        @Email @Size(max = 320) String email,
        @JsonIgnore boolean verified) {}
