package io.switchboard.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.platform.EndpointAddressPolicy;
import io.switchboard.platform.ScopedConnections;
import io.switchboard.platform.Secrets;
import io.switchboard.platform.WorkLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Delivers queued webhook events: claims due deliveries (any replica may; claimed rows are
 * leased so two replicas never send the same one at once), POSTs each signed with the webhook's
 * secret, and records the outcome: delivered on a 2xx, otherwise retried with doubling backoff
 * and dead-lettered after the last attempt.
 * <p>
 * Signature: header {@code Switchboard-Signature} ({@link Secrets#signatureHeader}).
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 20;
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);

    private record Due(
            UUID id,
            UUID eventId,
            String eventType,
            String payload,
            int attempts,
            String url,
            String secret,
            String owner) {}

    private final ScopedConnections connections;
    private final EventsConfig.Webhooks config;
    private final MeterRegistry metrics;
    private final EndpointAddressPolicy addresses;
    /** The address policies of owned webhooks, by owner. */
    private final Map<String, EndpointAddressPolicy> ownerAddresses;

    private final HttpClient client;
    private final WorkLoop loop = new WorkLoop("webhook-dispatcher", BATCH, IDLE_POLL, this::deliverDue);
    /**
     * How long a claimed delivery is left to the replica that claimed it before another may try:
     * longer than the whole batch can take (each delivery may use the timeout to connect and again
     * to answer), so a slow batch is never sent twice.
     */
    private final Duration lease;

    public WebhookDispatcher(
            ScopedConnections connections, EventsConfig events, MeterRegistry metrics, Instance<WebhookOwner> owners) {
        this.connections = connections;
        this.config = events.webhooks();
        this.metrics = metrics;
        this.addresses = new EndpointAddressPolicy(
                events.webhooks().allowedHosts().orElse(List.of()), "SWITCHBOARD_WEBHOOKS_ALLOWED_HOSTS", false);
        this.ownerAddresses = owners.stream().collect(Collectors.toMap(WebhookOwner::owner, WebhookOwner::addresses));
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.lease = config.timeout().multipliedBy(2L * BATCH).plusMinutes(1);
    }

    void start(@Observes StartupEvent started) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        loop.stop(config.timeout());
    }

    void wakeUp() {
        loop.wakeUp();
    }

    private int deliverDue() {
        try {
            List<Due> due = claim();
            due.forEach(this::deliver);
            return due.size();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Delivering webhooks failed; retrying: %s", e.getMessage());
            return 0;
        }
    }

    private List<Due> claim() throws SQLException {
        String select = """
                select d.id, d.event_id, d.event_type, d.payload::text, d.attempts, w.url, w.secret, w.owner
                from webhook_delivery d join webhook w on w.id = d.webhook_id
                where d.status = 'pending' and d.next_attempt_at <= now()
                order by d.next_attempt_at limit ? for update of d skip locked""";
        try (Connection connection = connections.forPlatform("webhook deliveries")) {
            connection.setAutoCommit(false);
            List<Due> due = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(select)) {
                query.setInt(1, BATCH);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        due.add(new Due(
                                rows.getObject(1, UUID.class),
                                rows.getObject(2, UUID.class),
                                rows.getString(3),
                                rows.getString(4),
                                rows.getInt(5),
                                rows.getString(6),
                                rows.getString(7),
                                rows.getString(8)));
                    }
                }
            }
            if (!due.isEmpty()) {
                try (PreparedStatement extend = connection.prepareStatement(
                        "update webhook_delivery set next_attempt_at = now() + make_interval(secs => ?) where id = any(?)")) {
                    extend.setLong(1, lease.toSeconds());
                    extend.setArray(
                            2,
                            connection.createArrayOf(
                                    "uuid", due.stream().map(Due::id).toArray()));
                    extend.executeUpdate();
                }
            }
            connection.commit();
            return due;
        }
    }

    private void deliver(Due due) {
        WebhookService.Attempt attempt =
                send(due.url(), due.secret(), due.owner(), due.eventId(), due.eventType(), due.payload());
        if (Thread.currentThread().isInterrupted()) {
            return;
        }
        record(due, attempt.status(), Optional.ofNullable(attempt.error()));
    }

    /**
     * POSTs one payload signed with the webhook's secret, if its owner's address policy (or the
     * tenant webhooks' one) lets the URL through; what came back, and how long it took.
     */
    WebhookService.Attempt send(
            String url, String secret, String owner, UUID eventId, String eventType, String payload) {
        long started = System.nanoTime();
        Integer status = null;
        EndpointAddressPolicy policy = owner == null ? addresses : ownerAddresses.getOrDefault(owner, addresses);
        String error = policy.problemWith(url)
                .map(problem -> "refused: the URL " + problem)
                .orElse(null);
        if (error == null) {
            long timestamp = System.currentTimeMillis() / 1000;
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Switchboard-Webhooks/1")
                    .header("Switchboard-Event-Id", eventId.toString())
                    .header("Switchboard-Event-Type", eventType)
                    .header("Switchboard-Signature", Secrets.signatureHeader(secret, timestamp, payload))
                    .POST(HttpRequest.BodyPublishers.ofString(payload))
                    .build();
            try {
                status = client.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status < 200 || status > 299) {
                    error = "HTTP " + status;
                }
            } catch (IOException e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
            }
        }
        return new WebhookService.Attempt(
                status,
                error == null || error.length() <= 500 ? error : error.substring(0, 500),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private void record(Due due, Integer status, Optional<String> error) {
        int attempts = due.attempts() + 1;
        String outcome = error.isEmpty() ? "delivered" : attempts >= config.maxAttempts() ? "dead" : "pending";
        long backoffMillis =
                Math.min(config.maxBackoff().toMillis(), config.backoff().toMillis() << Math.min(attempts - 1, 20));
        String sql = """
                update webhook_delivery set status = ?, attempts = ?, last_status = ?, last_error = ?,
                    delivered_at = case when ? = 'delivered' then now() end,
                    next_attempt_at = now() + make_interval(secs => ?)
                where id = ? and attempts = ?""";
        try (Connection connection = connections.forPlatform("webhook deliveries");
                PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, outcome);
            update.setInt(2, attempts);
            update.setObject(3, status);
            update.setString(4, error.orElse(null));
            update.setString(5, outcome);
            update.setDouble(6, backoffMillis / 1000.0);
            update.setObject(7, due.id());
            // Only the claim this outcome belongs to may record it.
            update.setInt(8, due.attempts());
            update.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf(
                    "Recording webhook delivery %s failed (it will be tried again after its lease): %s",
                    due.id(), e.getMessage());
            return;
        }
        metrics.counter(
                        "switchboard.webhooks.deliveries",
                        "outcome",
                        outcome,
                        "owner",
                        due.owner() == null ? "tenant" : due.owner())
                .increment();
        if (outcome.equals("dead")) {
            LOG.warnf(
                    "Webhook delivery %s of event %s dead-lettered after %d attempts: %s",
                    due.id(), due.eventId(), attempts, error.orElse(""));
        }
    }
}
