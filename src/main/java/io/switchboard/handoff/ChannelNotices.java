package io.switchboard.handoff;

import java.util.Optional;
import java.util.UUID;

/**
 * What a channel says instead of the platform's notice when one of its conversations goes to a
 * person outside business hours; implemented above, by the channels, so hand-off code knows a
 * conversation's channel by its id only.
 */
public interface ChannelNotices {

    /** The channel's own reply outside business hours ({@code {back}}: when the team returns), if it has one. */
    Optional<String> outOfHoursReply(UUID channelId);
}
