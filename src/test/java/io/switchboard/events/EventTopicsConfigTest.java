package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** On Kafka, channels subscribe to topics by name: a new event type must not be left out of them. */
class EventTopicsConfigTest {

    @Test
    void theSharedSubscriptionCoversEveryEventTypeAndLiveChannelsTheConversationAndCacheEvents() throws IOException {
        Properties settings = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            settings.load(in);
        }
        List<String> webhookTopics = List.of(settings.getProperty("mp.messaging.incoming.shared-events.topics")
                .split(","));
        List<String> liveTopics = List.of(
                settings.getProperty("mp.messaging.incoming.live-events.topics").split(","));

        assertThat(webhookTopics)
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(EventType.values()).map(EventType::topic).toList());
        assertThat(liveTopics)
                .contains(
                        EventType.MESSAGE_CREATED.topic(),
                        EventType.MODEL_POLICY_CHANGED.topic(),
                        EventType.TENANT_UPDATED.topic(),
                        EventType.API_KEY_REVOKED.topic());
    }
}
