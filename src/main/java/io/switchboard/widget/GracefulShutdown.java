package io.switchboard.widget;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.switchboard.platform.InFlightWork;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * What a replica does with its customers when it is told to stop (SIGTERM from a rolling
 * update, a scale-down or an operator). Readiness already reports it down, so the load balancer
 * sends nobody new; the customer turns and model calls in progress are finished (answers stream
 * to the end and are stored); then every widget is closed with 1012 "service restart", on which
 * the widget reconnects at once, to another replica, and catches up from the stored conversation.
 * The outbox is flushed last ({@code OutboxRelay}).
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);
    /** RFC 6455 "Service Restart": the client should reconnect. */
    static final int SERVICE_RESTART = 1012;

    static final String RECONNECT = "This server is restarting: reconnect";

    private final CustomerChannels channels;
    private final InFlightWork inFlight;
    private final Duration timeout;
    private volatile boolean draining;

    public GracefulShutdown(CustomerChannels channels, InFlightWork inFlight, WidgetConfig config) {
        this.channels = channels;
        this.inFlight = inFlight;
        this.timeout = config.shutdownTimeout();
    }

    /** Whether this replica is on its way out: new widget connections are sent elsewhere. */
    boolean draining() {
        return draining;
    }

    void drain(@Observes ShutdownDelayInitiatedEvent stopping) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        int unfinished = inFlight.awaitIdle(deadline);
        int widgets = channels.closeAll(
                SERVICE_RESTART, RECONNECT, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        // A message that arrived just before its socket closed is still answered and stored: the widget fetches it on
        // reconnecting.
        unfinished = Math.max(unfinished, inFlight.awaitIdle(deadline));
        LOG.infof(
                "Stopping: turns in progress finished%s; %d widgets asked to reconnect elsewhere",
                unfinished == 0
                        ? ""
                        : " except " + unfinished + " still running at the " + timeout.toSeconds() + " s limit",
                widgets);
    }
}
