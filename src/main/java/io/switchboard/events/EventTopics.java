package io.switchboard.events;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * On Kafka, creates the topic of every event type at startup (existing topics are left as they
 * are), so no event waits on a broker's auto-creation and consumers see every topic from the start.
 */
@ApplicationScoped
public class EventTopics {

    private static final Logger LOG = Logger.getLogger(EventTopics.class);

    private final String connector;
    private final String bootstrapServers;
    private final int partitions;
    private final Optional<Short> replicationFactor;

    public EventTopics(EventsConfig events, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.connector = events.connector();
        this.bootstrapServers = bootstrapServers;
        this.partitions = events.partitions();
        this.replicationFactor = events.replicationFactor();
    }

    void create(@Observes @Priority(1) StartupEvent started) throws InterruptedException {
        if (InProcessConnector.NAME.equals(connector)) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (EventType type : EventType.values()) {
                try {
                    admin.createTopics(java.util.List.of(
                                    new NewTopic(type.topic(), Optional.of(partitions), replicationFactor)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                    LOG.infof("Created Kafka topic %s", type.topic());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.warnf(
                                "Could not create Kafka topic %s: %s",
                                type.topic(), e.getCause().getMessage());
                    }
                } catch (TimeoutException e) {
                    LOG.warnf(
                            "Kafka did not answer within 30 s; topics of %s are left to the broker",
                            Arrays.toString(EventType.values()));
                    return;
                }
            }
        }
    }
}
