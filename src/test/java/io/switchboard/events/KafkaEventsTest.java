package io.switchboard.events;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.KafkaResource;
import io.switchboard.testing.Management;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import io.switchboard.testing.WidgetSocketClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox on a real Kafka broker: a topic per event type, live fan-out through Kafka, nothing lost in an outage. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class)
class KafkaEventsTest {

    private static final String MESSAGE_CREATED = "switchboard.conversation.message-created";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @Inject
    Outbox outbox;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/")
    URI baseUri;

    /** Stops (false) and restarts (true) the broker; set by {@link KafkaResource}. */
    Consumer<Boolean> brokerRunning;

    @BeforeEach
    void liveSubscriptionIsAssigned() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> Management.given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void eventsGoToATopicPerTypeKeyedByConversationWithTheTenantInAHeader() throws Exception {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        WidgetClient.send(conversation, "Where is my parcel?").statusCode(200);

        List<ConsumerRecord<String, String>> records = recordsOf(conversation.id(), MESSAGE_CREATED, 2);
        ConsumerRecord<String, String> first = records.get(0);
        assertThat(first.key()).isEqualTo(conversation.id());
        assertThat(new String(first.headers().lastHeader("tenant-id").value(), StandardCharsets.UTF_8))
                .isEqualTo(tenant.id().toString());
        JsonNode event = JSON.readTree(first.value());
        assertThat(event.path("version").asInt()).isEqualTo(1);
        assertThat(event.path("type").asText()).isEqualTo(MESSAGE_CREATED);
        assertThat(new String(first.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8))
                .isEqualTo(event.path("id").asText());
        assertThat(event.path("data").path("message").path("text").asText()).isEqualTo("Where is my parcel?");
        assertThat(JSON.readTree(records.get(1).value())
                        .path("data")
                        .path("message")
                        .path("role")
                        .asText())
                .isEqualTo("bot");
        assertThat(recordsOf(conversation.id(), "switchboard.conversation.started", 1))
                .hasSize(1);
    }

    @Test
    void anAgentsReplyReachesTheCustomerThroughKafkaAndADuplicateEventIsIgnored() throws Exception {
        TenantSettings tenant = tenants.withStubModel("echo");
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        String path = "/api/v1/tenants/{tenant}/conversations/{id}";

        try (WidgetSocketClient customer = WidgetSocketClient.connect(baseUri, tenant.slug(), conversation.token())) {
            as(agent)
                    .post(path + "/assign", tenant.slug(), conversation.id())
                    .then()
                    .statusCode(200);
            assertThat(customer.next().path("type").asText()).isEqualTo("system_message");
            assertThat(customer.next().path("state").asText()).isEqualTo("HUMAN");
            as(agent)
                    .body(Map.of("text", "Hi, Sam here."))
                    .post(path + "/messages", tenant.slug(), conversation.id())
                    .then()
                    .statusCode(200);
            assertThat(customer.next().path("message").path("text").asText()).isEqualTo("Hi, Sam here.");
            assertThat(customer.next().path("state").asText()).isEqualTo("HUMAN");

            // Kafka may deliver an event twice: the same event again must not reach the customer again.
            ConsumerRecord<String, String> reply =
                    recordsOf(conversation.id(), MESSAGE_CREATED, 2).get(1);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", bootstrapServers), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(MESSAGE_CREATED, null, reply.key(), reply.value(), reply.headers()))
                        .get();
            }
            as(agent)
                    .body(Map.of("text", "Found it."))
                    .post(path + "/messages", tenant.slug(), conversation.id())
                    .then()
                    .statusCode(200);
            assertThat(customer.next().path("message").path("text").asText()).isEqualTo("Found it.");
        }
    }

    @Test
    void withKafkaDownChangesStillCommitAndEveryEventIsPublishedOnceItReturns() throws Exception {
        TenantSettings tenant = tenants.withStubModel("echo");
        brokerRunning.accept(false);
        WidgetClient.Conversation conversation;
        try {
            conversation = WidgetClient.start(tenant.slug());
            WidgetClient.send(conversation, "Is anyone there?")
                    .statusCode(200)
                    .body("reply.text", equalTo("You said: Is anyone there?"));
            WidgetClient.send(conversation, "Hello?").statusCode(200);
            assertThat(stored.of(conversation.id())).hasSize(4);
        } finally {
            brokerRunning.accept(true);
        }

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(stored.eventsOf(conversation.id()))
                        .hasSize(5)
                        .allMatch(event -> event.get("published_at") != null));
        // At least once: a send that timed out during the outage may arrive twice; consumers drop repeats by id.
        List<String> messageIds = stored.eventsOf(conversation.id()).stream()
                .filter(event -> MESSAGE_CREATED.equals(event.get("type")))
                .map(event -> event.get("id").toString())
                .toList();
        List<String> published = new ArrayList<>();
        for (ConsumerRecord<String, String> record : recordsOf(conversation.id(), MESSAGE_CREATED, 4)) {
            published.add(JSON.readTree(record.value()).path("id").asText());
        }
        assertThat(published.stream().distinct()).containsExactlyElementsOf(messageIds);
    }

    @Test
    void aBurstOfEventsLongerThanARelayBatchReachesKafkaCompleteAndInOrder() throws Exception {
        TenantSettings tenant = tenants.withStubModel("echo");
        String key = UUID.randomUUID().toString();
        int burst = 450;
        TenantScope.call(tenant.id(), () -> {
            QuarkusTransaction.requiringNew().run(() -> {
                for (int n = 0; n < burst; n++) {
                    outbox.record(EventType.EMAIL_LEFT, tenant.id(), key, Map.of("n", n));
                }
            });
            return null;
        });

        List<Integer> published = new ArrayList<>();
        for (ConsumerRecord<String, String> record : recordsOf(key, EventType.EMAIL_LEFT.topic(), burst)) {
            published.add(JSON.readTree(record.value()).path("data").path("n").asInt());
        }
        // At least once: a repeat may follow, never overtake, what was published before it.
        assertThat(published.stream().distinct())
                .containsExactlyElementsOf(IntStream.range(0, burst).boxed().toList());
    }

    /** Records of the key (a conversation's id) on the topic, in order, read from the start until {@code count} different ones arrived. */
    private List<ConsumerRecord<String, String>> recordsOf(String key, String topic, int count) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                });
                return found.stream().map(ConsumerRecord::value).distinct().count() >= count;
            });
        }
        return found;
    }
}
