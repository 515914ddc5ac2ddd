package io.switchboard.events;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * On Kafka, a replica is ready only once its live subscription has partitions: before that, a
 * person's reply to a customer connected here would not reach them. In-process it always is.
 * <p>
 * Each replica's group is new at every start and begins at the end of the topics, but a
 * partition it has never committed would start at the end again after any rebalance (a broker
 * restart, a new topic), skipping what was written meanwhile. So the first time a partition is
 * assigned, its starting position is committed at once.
 */
@Readiness
@ApplicationScoped
@Identifier(LiveEventsAssignment.NAME)
public class LiveEventsAssignment implements KafkaConsumerRebalanceListener, HealthCheck {

    static final String NAME = "live-events-assignment";

    private final boolean onKafka;
    private volatile boolean assigned;

    public LiveEventsAssignment(EventsConfig events) {
        this.onKafka = !InProcessConnector.NAME.equals(events.connector());
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
        for (TopicPartition partition : partitions) {
            if (committed.get(partition) == null) {
                starts.put(partition, new OffsetAndMetadata(consumer.position(partition)));
            }
        }
        if (!starts.isEmpty()) {
            consumer.commitSync(starts);
        }
        assigned = !partitions.isEmpty();
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        assigned = false;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("live events")
                .status(!onKafka || assigned)
                .build();
    }
}
