package io.switchboard.channel;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A channel as created ({@code type} and {@code name} required) or changed (every field
 * optional; an empty {@code greeting} or {@code awayReply} goes back to the tenant's). The
 * type's own fields ({@code callbackUrl}) are read by the type; {@code rotateToken} replaces the
 * channel's token, revoking the old one at once.
 */
public record ChannelRequest(
        @Pattern(regexp = "[a-z][a-z0-9-]{0,30}", message = "must be a channel type such as 'api'")
        String type,

        @Size(min = 1, max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String name,

        @Size(max = 2000) String callbackUrl,
        @Size(max = 1000) String greeting,
        @Size(max = 1000) String awayReply,
        Boolean botAnswers,
        Boolean rotateToken) {}
