package io.switchboard.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the platform's events on a real Kafka broker. A test may declare a field of type
 * {@code Consumer<Boolean>} to stop ({@code false}) and restart ({@code true}) the broker; the
 * type is the JDK's, so it crosses the class loaders of Quarkus tests.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.start();
        return Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(), "switchboard.events.connector", "smallrye-kafka");
    }

    @Override
    public void inject(TestInjector injector) {
        Consumer<Boolean> brokerRunning = running -> {
            if (running) {
                broker.resume();
            } else {
                broker.pause();
            }
        };
        injector.injectIntoFields(brokerRunning, new TestInjector.MatchesType(Consumer.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
