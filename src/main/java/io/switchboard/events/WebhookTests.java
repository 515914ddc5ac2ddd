package io.switchboard.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ScopedConnections;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Test deliveries of webhooks another feature owns (an API channel's callback), sent at once by an admin. */
@ApplicationScoped
public class WebhookTests {

    private static final Logger LOG = Logger.getLogger(WebhookTests.class);

    private final ScopedConnections connections;
    private final WebhookDispatcher dispatcher;
    private final MeterRegistry metrics;

    public WebhookTests(ScopedConnections connections, WebhookDispatcher dispatcher, MeterRegistry metrics) {
        this.connections = connections;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
    }

    /**
     * Sends {@code payload} to an owned webhook of the caller's tenant now, signed as its
     * deliveries are, and records it among them: delivered, or dead at once, since a test is
     * sent again by hand rather than retried. Runs outside any transaction; waits for the answer.
     */
    public WebhookService.Attempt testOwned(UUID webhookId, String eventType, String payload) {
        UUID tenantId = TenantScope.require();
        String url;
        String secret;
        String owner;
        try (Connection connection = connections.forTenant(tenantId);
                PreparedStatement query = connection.prepareStatement(
                        "select url, secret, owner from webhook where id = ? and owner is not null")) {
            query.setObject(1, webhookId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw ProblemException.notFound("Webhook");
                }
                url = row.getString(1);
                secret = row.getString(2);
                owner = row.getString(3);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading webhook " + webhookId + " failed: " + e.getMessage(), e);
        }
        UUID eventId = UUID.randomUUID();
        WebhookService.Attempt attempt = dispatcher.send(url, secret, owner, eventId, eventType, payload);
        String sql = """
                insert into webhook_delivery (id, tenant_id, webhook_id, event_id, event_type, payload, status, attempts,
                    next_attempt_at, last_status, last_error, created_at, delivered_at)
                values (gen_random_uuid(), ?, ?, ?, ?, ?::jsonb, ?, 1, now(), ?, ?, now(), case when ? then now() end)""";
        try (Connection connection = connections.forTenant(tenantId);
                PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setObject(1, tenantId);
            insert.setObject(2, webhookId);
            insert.setObject(3, eventId);
            insert.setString(4, eventType);
            insert.setString(5, payload);
            insert.setString(6, attempt.delivered() ? "delivered" : "dead");
            insert.setObject(7, attempt.status());
            insert.setString(8, attempt.error());
            insert.setBoolean(9, attempt.delivered());
            insert.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("Recording a test delivery of webhook %s failed: %s", webhookId, e.getMessage());
        }
        metrics.counter(
                        "switchboard.webhooks.tests",
                        "outcome",
                        attempt.delivered() ? "delivered" : "failed",
                        "owner",
                        owner)
                .increment();
        LOG.infof("Test delivery of webhook %s: %s", webhookId, attempt.delivered() ? "delivered" : attempt.error());
        return attempt;
    }
}
