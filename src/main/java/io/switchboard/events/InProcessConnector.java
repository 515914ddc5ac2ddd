package io.switchboard.events;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import io.smallrye.reactive.messaging.providers.helpers.MultiUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Flow;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

/**
 * The embedded default's message broker: what the relay sends on an outgoing channel reaches
 * every incoming channel of this JVM, as Kafka delivers a topic to every consumer group. With
 * one replica there is nobody else to tell, so the same channels run on Kafka or in-process
 * depending only on configuration.
 */
@ApplicationScoped
@Connector(InProcessConnector.NAME)
public class InProcessConnector implements InboundConnector, OutboundConnector {

    public static final String NAME = "in-process";

    private final BroadcastProcessor<Message<?>> hub = BroadcastProcessor.create();

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
        return hub.onOverflow().buffer(4096);
    }

    @Override
    public Flow.Subscriber<? extends Message<?>> getSubscriber(Config config) {
        return MultiUtils.via(messages -> messages.call(message -> {
            hub.onNext(Message.of(message.getPayload(), message.getMetadata()));
            return Uni.createFrom().completionStage(message.ack());
        }));
    }
}
