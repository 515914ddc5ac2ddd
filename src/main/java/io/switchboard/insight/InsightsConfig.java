package io.switchboard.insight;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How topics and knowledge gaps are kept current from the stored conversations. */
@ConfigMapping(prefix = "switchboard.insights")
public interface InsightsConfig {

    /** Whether conversations are analysed in the background at all. */
    @WithDefault("true")
    boolean enabled();

    /** How long a conversation must have been quiet before it is analysed (again): a live one changes every turn. */
    @WithDefault("2m")
    Duration settle();

    /** How long the analysis waits when nothing is left to analyse. */
    @WithDefault("30s")
    Duration pause();

    /**
     * Below this match of the question to the help centre an answer counts as weak, even when it
     * was confident enough to be given: on the tune split of the Brightcart set, 38% of the
     * questions whose article had been removed matched below 0.37, against 4% of those whose
     * article was there (docs/insights.md).
     */
    @WithDefault("0.37")
    double weakAnswerConfidence();

    /** Questions of the last this long are grouped. */
    @WithDefault("90d")
    Duration window();

    /** At most this many of the latest weakly answered questions are clustered per tenant. */
    @WithDefault("3000")
    int maxClustered();
}
