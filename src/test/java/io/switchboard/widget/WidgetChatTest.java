package io.switchboard.widget;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.StubRequests;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import io.switchboard.testing.WidgetSocketClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WidgetChatTest {

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @Inject
    ObjectMapper json;

    @TestHTTPResource("/")
    URI baseUri;

    @ConfigProperty(name = "switchboard.model.endpoints.stub.base-url")
    String stubBaseUrl;

    @Test
    void answersOverJsonAndStoresBothMessagesWithProvenance() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        WidgetClient.send(conversation, "Where is my order?")
                .statusCode(200)
                .body("message.role", equalTo("customer"))
                .body("message.text", equalTo("Where is my order?"))
                .body("reply.role", equalTo("bot"))
                .body("reply.text", equalTo("You said: Where is my order?"))
                .body("reply.model", equalTo("echo"))
                .body("reply.provider", equalTo("stub"))
                .body("reply.citations", hasSize(0))
                .body("state", equalTo("BOT"));

        List<Map<String, Object>> rows = stored.of(conversation.id());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0))
                .containsEntry("role", "customer")
                .containsEntry("text", "Where is my order?")
                .containsEntry("model_name", null);
        Map<String, Object> bot = rows.get(1);
        assertThat(bot)
                .containsEntry("role", "bot")
                .containsEntry("text", "You said: Where is my order?")
                .containsEntry("model_endpoint", "stub")
                .containsEntry("model_name", "echo")
                .containsEntry("provider", "openai-compatible")
                .containsEntry("config_version", tenant.configVersion())
                .containsEntry("input_tokens", 42)
                .containsEntry("output_tokens", 6);
        assertThat((Integer) bot.get("ttft_ms")).isNotNull().isGreaterThanOrEqualTo(0);
        assertThat((Integer) bot.get("latency_ms")).isGreaterThanOrEqualTo((Integer) bot.get("ttft_ms"));
    }

    @Test
    void streamsTokensOverServerSentEventsThenTheStoredReply() throws Exception {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        String body = WidgetClient.stream(
                conversation, "Can I change my delivery address after the parcel has left the warehouse?");

        List<String[]> events = parseEvents(body);
        List<String> names = events.stream().map(event -> event[0]).toList();
        assertThat(names).last().isEqualTo("reply");
        assertThat(names.subList(0, names.size() - 1)).hasSizeGreaterThan(3).containsOnly("token");
        StringBuilder streamed = new StringBuilder();
        for (String[] event : events.subList(0, events.size() - 1)) {
            streamed.append(json.readTree(event[1]).path("text").asText());
        }
        JsonNode reply = json.readTree(events.getLast()[1]);
        assertThat(streamed.toString())
                .isEqualTo("You said: Can I change my delivery address after the parcel has left the warehouse?");
        assertThat(reply.path("reply").path("text").asText()).isEqualTo(streamed.toString());
        assertThat(reply.path("state").asText()).isEqualTo("BOT");
        assertThat(stored.of(conversation.id()))
                .extracting(row -> row.get("role"))
                .containsExactly("customer", "bot");
    }

    @Test
    void streamsTokensOverTheWebSocketThenReplyAndState() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        try (WidgetSocketClient socket = WidgetSocketClient.connect(baseUri, tenant.slug(), conversation.token())) {
            socket.sendMessage("Do you ship to Norway, and how long does delivery to Oslo usually take?");
            List<JsonNode> frames = socket.until("reply");
            StringBuilder streamed = new StringBuilder();
            frames.subList(0, frames.size() - 1).forEach(frame -> {
                assertThat(frame.path("type").asText()).isEqualTo("token");
                streamed.append(frame.path("text").asText());
            });
            JsonNode reply = frames.getLast().path("message");
            assertThat(frames).hasSizeGreaterThan(4);
            assertThat(streamed.toString())
                    .isEqualTo("You said: Do you ship to Norway, and how long does delivery to Oslo usually take?");
            assertThat(reply.path("text").asText()).isEqualTo(streamed.toString());
            assertThat(reply.path("model").asText()).isEqualTo("echo");
            assertThat(socket.next().path("state").asText()).isEqualTo("BOT");
        }
        List<Map<String, Object>> rows = stored.of(conversation.id());
        assertThat(rows)
                .extracting(row -> row.get("text"))
                .containsExactly(
                        "Do you ship to Norway, and how long does delivery to Oslo usually take?",
                        "You said: Do you ship to Norway, and how long does delivery to Oslo usually take?");
        assertThat(rows.get(1)).containsEntry("model_name", "echo").containsEntry("input_tokens", 42);
    }

    @Test
    void theWidgetsTokenTravelsAsASubprotocolOutOfTheUrl() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        try (WidgetSocketClient socket =
                WidgetSocketClient.connectWithTokenProtocol(baseUri, tenant.slug(), conversation.token())) {
            assertThat(socket.subprotocol())
                    .as("the server answers with the protocol, never echoing the token")
                    .isEqualTo("switchboard.v1");
            socket.sendMessage("hello without a token in the URL");
            assertThat(socket.until("reply")
                            .getLast()
                            .path("message")
                            .path("text")
                            .asText())
                    .isEqualTo("You said: hello without a token in the URL");
        }
        try (WidgetSocketClient stranger =
                WidgetSocketClient.connectWithTokenProtocol(baseUri, tenant.slug(), "not-a-token")) {
            assertThat(stranger.next().path("type").asText()).isEqualTo("error");
        }
    }

    @Test
    void theCustomersOtherConnectionsGetTheirMessageAndTheAnswerAsStored() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        try (WidgetSocketClient phone = WidgetSocketClient.connect(baseUri, tenant.slug(), conversation.token());
                WidgetSocketClient laptop = WidgetSocketClient.connect(baseUri, tenant.slug(), conversation.token())) {
            for (String question : List.of("Is the museum open on Mondays?", "And is there a discount for students?")) {
                phone.sendMessage(question);
                List<JsonNode> answered = phone.until("reply");
                assertThat(answered.subList(0, answered.size() - 1))
                        .extracting(frame -> frame.path("type").asText())
                        .containsOnly("token");
                assertThat(phone.next().path("state").asText()).isEqualTo("BOT");

                List<JsonNode> seen = laptop.until("bot_message");
                assertThat(seen)
                        .extracting(frame -> frame.path("type").asText())
                        .containsExactly("customer_message", "state", "bot_message");
                assertThat(seen.get(0).path("message").path("text").asText()).isEqualTo(question);
                assertThat(seen.get(2).path("message").path("text").asText()).isEqualTo("You said: " + question);
                assertThat(seen.get(2).path("message").path("id").asText())
                        .isEqualTo(answered.getLast().path("message").path("id").asText());
                assertThat(laptop.next().path("state").asText()).isEqualTo("BOT");
            }
        }
    }

    @Test
    void sendsThePersonaAndTheConversationSoFarToTheModel() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        WidgetClient.send(conversation, "First question " + conversation.id()).statusCode(200);
        WidgetClient.send(conversation, "Second question " + conversation.id()).statusCode(200);

        JsonNode request = lastRequestContaining("Second question " + conversation.id());
        List<String> roles = new ArrayList<>();
        request.path("messages")
                .forEach(message -> roles.add(message.path("role").asText()));
        assertThat(roles).containsExactly("system", "user", "assistant", "user");
        assertThat(request.path("messages").get(0).path("content").asText())
                .contains(TestTenants.PERSONA)
                .contains("Answer briefly.");
        assertThat(request.path("messages").get(2).path("content").asText())
                .isEqualTo("You said: First question " + conversation.id());
        assertThat(request.path("messages").get(1).path("content").asText())
                .as("customer text reaches the model marked as untrusted data")
                .isEqualTo("<customer_message>\nFirst question " + conversation.id() + "\n</customer_message>");
        assertThat(request.path("stream").asBoolean()).isTrue();
    }

    @Test
    void estimatesAndFlagsTokenCountsWhenTheServerReportsNoUsage() {
        TenantSettings tenant = tenants.withStubModel("no-usage");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        WidgetClient.send(conversation, "Hello").statusCode(200).body("reply.text", equalTo("You said: Hello"));

        Map<String, Object> bot = stored.of(conversation.id()).get(1);
        assertThat(bot)
                .containsEntry("tokens_estimated", true)
                .containsEntry("output_tokens", "You said: Hello".length() / 4 + 1);
        assertThat((Integer) bot.get("input_tokens")).isPositive();
    }

    @Test
    void readsTheConversationBackInOrder() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        WidgetClient.send(conversation, "One").statusCode(200);
        WidgetClient.send(conversation, "Two").statusCode(200);

        WidgetClient.read(conversation)
                .statusCode(200)
                .body("id", equalTo(conversation.id()))
                .body("state", equalTo("BOT"))
                .body("messages.text", org.hamcrest.Matchers.contains("One", "You said: One", "Two", "You said: Two"))
                .body("messages.seq", org.hamcrest.Matchers.contains(1, 2, 3, 4))
                .body("messages[0].model", nullValue())
                .body("messages[1].model", equalTo("echo"));
    }

    @Test
    void startingAConversationReturnsItsTokenNumberAndGreeting() {
        TenantSettings tenant = tenants.withStubModel("echo");
        given().contentType(ContentType.JSON)
                .body("{\"user\":{\"name\":\"Ada\",\"email\":\"ada@example.com\"}}")
                .when()
                .post("/api/v1/widget/{tenant}/conversations", tenant.slug())
                .then()
                .statusCode(201)
                .body("conversationId", notNullValue())
                .body("token", org.hamcrest.Matchers.startsWith("sbc_"))
                .body("number", equalTo(1))
                .body("state", equalTo("BOT"))
                .body("greeting", equalTo("Hello from " + tenant.slug()));
        WidgetClient.start(tenant.slug());
        given().contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/widget/{tenant}/conversations", tenant.slug())
                .then()
                .statusCode(201)
                .body("number", equalTo(3));
    }

    @Test
    void conversationsStartedAtOnceGetDistinctConsecutiveNumbers() throws Exception {
        TenantSettings tenant = tenants.withStubModel("echo");
        int customers = 24;
        List<Future<Integer>> starts = new ArrayList<>();
        try (ExecutorService atOnce = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < customers; i++) {
                starts.add(atOnce.submit(() -> given().contentType(ContentType.JSON)
                        .body("{}")
                        .when()
                        .post("/api/v1/widget/{tenant}/conversations", tenant.slug())
                        .then()
                        .statusCode(201)
                        .extract()
                        .<Integer>path("number")));
            }
        }
        List<Integer> numbers = new ArrayList<>();
        for (Future<Integer> start : starts) {
            numbers.add(start.get());
        }
        assertThat(numbers)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.rangeClosed(1, customers).boxed().toList());
    }

    @Test
    void messagesSentAtOnceAreEachStoredInTheirOwnConversation() throws Exception {
        TenantSettings tenant = tenants.withStubModel("echo");
        List<WidgetClient.Conversation> conversations = IntStream.range(0, 10)
                .mapToObj(i -> WidgetClient.start(tenant.slug()))
                .toList();
        // A person owns each conversation, so no model call limits how many messages arrive at once.
        conversations.forEach(conversation ->
                WidgetClient.send(conversation, "I want to talk to a human").statusCode(200));
        Map<String, Future<String>> storedTexts = new java.util.LinkedHashMap<>();
        try (ExecutorService atOnce = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < conversations.size(); i++) {
                WidgetClient.Conversation conversation = conversations.get(i);
                for (String tab : List.of("first", "second")) {
                    String text = "Message %d from the %s tab".formatted(i, tab);
                    storedTexts.put(
                            text,
                            atOnce.submit(() -> WidgetClient.send(conversation, text)
                                    .statusCode(200)
                                    .body("reply", nullValue())
                                    .extract()
                                    .<String>path("message.text")));
                }
            }
        }
        for (Map.Entry<String, Future<String>> sent : storedTexts.entrySet()) {
            assertThat(sent.getValue().get()).isEqualTo(sent.getKey());
        }
        for (int i = 0; i < conversations.size(); i++) {
            List<Map<String, Object>> messages = stored.of(conversations.get(i).id());
            assertThat(messages).extracting(row -> row.get("seq")).containsExactly(1, 2, 3, 4);
            assertThat(messages.subList(2, 4))
                    .extracting(row -> row.get("text"))
                    .containsExactlyInAnyOrder(
                            "Message %d from the first tab".formatted(i),
                            "Message %d from the second tab".formatted(i));
        }
    }

    @Test
    void twoMessagesSentAtOnceInOneConversationAreEachAnsweredOnTheirOwn() throws Exception {
        WidgetClient.Conversation conversation =
                WidgetClient.start(tenants.withStubModel("echo").slug());
        List<String> questions = List.of("Can I bring a dog?", "Is there parking nearby?");
        List<Future<String>> replies = new ArrayList<>();
        try (ExecutorService atOnce = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String question : questions) {
                replies.add(atOnce.submit(() -> WidgetClient.send(conversation, question)
                        .statusCode(200)
                        .extract()
                        .<String>path("reply.text")));
            }
        }
        // Each answer is to its own question, even when both were stored in one transaction.
        assertThat(replies.get(0).get()).isEqualTo("You said: Can I bring a dog?");
        assertThat(replies.get(1).get()).isEqualTo("You said: Is there parking nearby?");
        assertThat(stored.of(conversation.id())).hasSize(4);
    }

    @Test
    void demoTenantAnswersFromItsHelpCentreAndCitesTheArticle() {
        WidgetClient.Conversation conversation = WidgetClient.start("demo");

        WidgetClient.send(conversation, "How much refund do I get if I cancel my reservation?")
                .statusCode(200)
                .body("reply.model", equalTo("retrieval"))
                .body("reply.provider", equalTo("builtin"))
                .body("reply.citations[0].url", containsString("https://help.homenest.example/articles/"))
                .body("reply.text", containsString("refund"));
    }

    private JsonNode lastRequestContaining(String text) {
        return StubRequests.last(stubBaseUrl, text);
    }

    /** Splits an SSE body into [event name, data] pairs. */
    private static List<String[]> parseEvents(String body) {
        List<String[]> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
            if (!data.isEmpty()) {
                events.add(new String[] {name, data.toString()});
            }
        }
        return events;
    }
}
