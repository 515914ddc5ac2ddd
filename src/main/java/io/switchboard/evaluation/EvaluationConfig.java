package io.switchboard.evaluation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How replay evaluations run. */
@ConfigMapping(prefix = "switchboard.evaluation")
public interface EvaluationConfig {

    /** Past turns one evaluation replays at once: its model calls never take more of the tenant's share than this. */
    @WithDefault("2")
    int concurrency();

    /** How often a replica looks for evaluations to run (new ones start at once on the replica that took them). */
    @WithDefault("10s")
    Duration poll();

    /** A running evaluation whose replica has not reported for this long is taken over by another. */
    @WithDefault("60s")
    Duration staleAfter();

    /** How often each replica compares running canaries with their primaries, and rolls back those that do worse. */
    @WithDefault("30s")
    Duration canaryCheckInterval();
}
