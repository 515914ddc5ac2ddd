package io.switchboard.conversation;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.EventType;
import io.switchboard.events.SharedEvents;
import io.switchboard.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Analytics counters from the platform's events, counted once across replicas (the shared
 * subscription): conversations started and closed, escalations by reason, answers rated, emails
 * left. Prometheus adds up the replicas' counters.
 */
@ApplicationScoped
public class ConversationMetrics {

    private final MeterRegistry metrics;
    private final TenantService tenants;

    public ConversationMetrics(MeterRegistry metrics, TenantService tenants) {
        this.metrics = metrics;
        this.tenants = tenants;
    }

    void count(@Observes SharedEvents.Once once) {
        String type = once.event().type();
        String tenant = tenants.findById(once.event().tenantId())
                .map(settings -> settings.slug())
                .orElse("unknown");
        if (EventType.CONVERSATION_STARTED.topic().equals(type)) {
            metrics.counter("switchboard.conversations.started", "tenant", tenant)
                    .increment();
        } else if (EventType.CONVERSATION_CLOSED.topic().equals(type)) {
            metrics.counter("switchboard.conversations.closed", "tenant", tenant)
                    .increment();
        } else if (EventType.CONVERSATION_ESCALATED.topic().equals(type)) {
            metrics.counter(
                            "switchboard.escalations",
                            "tenant",
                            tenant,
                            "reason",
                            once.event().data().path("escalationReason").asText("unknown"))
                    .increment();
        } else if (EventType.ANSWER_RATED.topic().equals(type)) {
            metrics.counter(
                            "switchboard.answers.rated",
                            "tenant",
                            tenant,
                            "helpful",
                            String.valueOf(once.event().data().path("helpful").asBoolean()))
                    .increment();
        } else if (EventType.EMAIL_LEFT.topic().equals(type)) {
            metrics.counter("switchboard.emails.left", "tenant", tenant).increment();
        }
    }
}
