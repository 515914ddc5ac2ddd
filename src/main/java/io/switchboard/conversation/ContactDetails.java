package io.switchboard.conversation;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Size;

/** What an anonymous customer tells about themselves; unverified until identity verification says otherwise. */
public record ContactDetails(@Size(max = 200) String name, @Email @Size(max = 320) String email) {
}
