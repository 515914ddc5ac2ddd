package io.switchboard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.Management;
import io.switchboard.testing.StubRequests;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The assistant's own turns call tools through the provider SPI: tools go to an OpenAI-compatible
 * server in OpenAI's shape, the calls it streams (or answers whole) come back assembled in the reply,
 * their results go back in the next request, and a model that calls no tools answers in text.
 */
@QuarkusTest
class ModelToolCallsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestTenants tenants;

    @Inject
    ModelService models;

    @ConfigProperty(name = "switchboard.model.endpoints.stub.base-url")
    String stubBaseUrl;

    @Test
    void aStreamedToolCallArrivesWholeInTheReplyAndIsMetered() throws Exception {
        ModelPolicy policy = stub("tool-caller");
        TenantSettings tenant = tenants.create(policy);
        String question = "Where is order " + UUID.randomUUID() + "?";
        List<String> streamed = new CopyOnWriteArrayList<>();

        ModelService.Answer answer = models.chat(policy, request(tenant, question, true), streamed::add);

        assertThat(answer.reply().toolCalls())
                .containsExactly(new ToolCall("call_stub_0", "lookup_order", query(question)));
        assertThat(answer.reply().callsTools()).isTrue();
        assertThat(answer.reply().finishReason()).isEqualTo("tool_calls");
        assertThat(answer.reply().text()).isEmpty();
        assertThat(streamed).as("a call is no text for the customer").isEmpty();
        assertThat(answer.usage().inputTokens()).isEqualTo(42);
        assertThat(answer.usage().outputTokens()).isEqualTo(11);
        assertThat(answer.usage().estimated()).isFalse();
        assertThat(Management.metrics())
                .containsPattern("switchboard_model_tokens_total\\{direction=\"output\",endpoint=\"stub\","
                        + "model=\"tool-caller\",tenant=\"" + tenant.slug() + "\"} 11\\.0");

        JsonNode sent = StubRequests.last(stubBaseUrl, question);
        assertThat(sent.path("tool_choice").asText()).isEqualTo("auto");
        assertThat(sent.path("tools")).hasSize(2);
        JsonNode tool = sent.path("tools").path(0);
        assertThat(tool.path("type").asText()).isEqualTo("function");
        assertThat(tool.path("function").path("name").asText()).isEqualTo("lookup_order");
        assertThat(tool.path("function").path("description").asText()).isEqualTo("Finds an order by its number");
        assertThat(tool.path("function").path("parameters")).isEqualTo(orderSchema());
    }

    @Test
    void parallelCallsStreamedInterleavedComeBackInTheirOrderWithWholeArguments() throws Exception {
        ModelPolicy policy = stub("interleaved-tools");
        TenantSettings tenant = tenants.create(policy);
        String question = "Where are my orders " + UUID.randomUUID() + "?";

        ModelReply reply =
                models.chat(policy, request(tenant, question, true), f -> {}).reply();

        assertThat(reply.toolCalls())
                .containsExactly(
                        new ToolCall("call_stub_0", "lookup_order", query(question)),
                        new ToolCall("call_stub_1", "track_parcel", query(question)));
        assertThat(reply.finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void callsAnsweredWholeComeBackLikeStreamedOnes() throws Exception {
        ModelPolicy policy = stub("parallel-tools");
        TenantSettings tenant = tenants.create(policy);
        String question = "Where are my parcels " + UUID.randomUUID() + "?";

        ModelService.Answer answer = models.chat(policy, request(tenant, question, false), f -> {});

        assertThat(answer.reply().toolCalls())
                .containsExactly(
                        new ToolCall("call_stub_0", "lookup_order", query(question)),
                        new ToolCall("call_stub_1", "track_parcel", query(question)));
        assertThat(answer.reply().finishReason()).isEqualTo("tool_calls");
        assertThat(answer.usage().outputTokens()).isEqualTo(11);
        assertThat(StubRequests.last(stubBaseUrl, question).path("stream").asBoolean())
                .isFalse();
    }

    @Test
    void theTurnContinuesWithTheResultsInOpenAisShapeAndTheModelAnswersFromThem() throws Exception {
        ModelPolicy policy = stub("interleaved-tools");
        TenantSettings tenant = tenants.create(policy);
        String question = "Where are both orders " + UUID.randomUUID() + "?";
        ModelRequest first = request(tenant, question, true);
        ModelReply calling = models.chat(policy, first, f -> {}).reply();
        List<String> streamed = new CopyOnWriteArrayList<>();

        ModelReply answered = models.chat(
                        policy,
                        first.continuedWith(List.of(
                                ModelRequest.Turn.calling(calling.text(), calling.toolCalls()),
                                ModelRequest.Turn.toolResult("call_stub_0", "{\"status\":\"shipped\"}"),
                                ModelRequest.Turn.toolResult("call_stub_1", "{\"parcel\":\"at the depot\"}"))),
                        streamed::add)
                .reply();

        assertThat(answered.callsTools()).isFalse();
        assertThat(answered.finishReason()).isEqualTo("stop");
        assertThat(answered.text())
                .isEqualTo("The tools said: {\"status\":\"shipped\"} | {\"parcel\":\"at the depot\"}");
        assertThat(String.join("", streamed)).isEqualTo(answered.text());

        JsonNode messages = StubRequests.last(stubBaseUrl, "at the depot").path("messages");
        assertThat(messages).hasSize(5);
        JsonNode assistant = messages.path(2);
        assertThat(assistant.path("role").asText()).isEqualTo("assistant");
        assertThat(assistant.path("content").isNull()).isTrue();
        assertThat(assistant.path("tool_calls")).hasSize(2);
        JsonNode call = assistant.path("tool_calls").path(1);
        assertThat(call.path("id").asText()).isEqualTo("call_stub_1");
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.path("function").path("name").asText()).isEqualTo("track_parcel");
        assertThat(call.path("function").path("arguments").asText()).isEqualTo(query(question));
        assertThat(messages.path(3).path("role").asText()).isEqualTo("tool");
        assertThat(messages.path(3).path("tool_call_id").asText()).isEqualTo("call_stub_0");
        assertThat(messages.path(3).path("content").asText()).isEqualTo("{\"status\":\"shipped\"}");
        assertThat(messages.path(4).path("tool_call_id").asText()).isEqualTo("call_stub_1");
    }

    @Test
    void aPrimaryThatFailsBeforeAnythingStreamedIsReplacedByTheFallbackWhichCallsTheTools() throws Exception {
        ModelPolicy policy = new ModelPolicy(
                new ModelRef("stub", "error-500"), List.of(new ModelRef("stub", "tool-caller")), null, null, null);
        TenantSettings tenant = tenants.create(policy);
        String question = "Where is parcel " + UUID.randomUUID() + "?";

        ModelService.Answer answer = models.chat(policy, request(tenant, question, true), f -> {});

        assertThat(answer.model()).isEqualTo(new ModelRef("stub", "tool-caller"));
        assertThat(answer.reply().toolCalls()).extracting(ToolCall::name).containsExactly("lookup_order");
    }

    @Test
    void theBuiltInAnswererIsNotOfferedToolsAndAnswersInText() throws Exception {
        ModelPolicy policy = ModelPolicy.of(new ModelRef(ModelCatalog.BUILTIN_ENDPOINT, "retrieval"));
        TenantSettings tenant = tenants.create(policy);
        ModelRequest offering = request(tenant, "Where is my order?", true);

        assertThat(models.callsTools(policy)).isFalse();
        assertThat(models.callsTools(stub("tool-caller"))).isTrue();
        ModelReply reply = models.chat(policy, offering, f -> {}).reply();
        assertThat(reply.callsTools()).isFalse();
        assertThat(reply.text()).isNotBlank();

        // The results of a tool loop only a model that calls tools can read.
        ModelRequest continued = offering.continuedWith(List.of(
                ModelRequest.Turn.calling("", List.of(new ToolCall("call_1", "lookup_order", "{}"))),
                ModelRequest.Turn.toolResult("call_1", "{}")));
        assertThatThrownBy(() -> models.chat(policy, continued, f -> {}))
                .isInstanceOfSatisfying(
                        ModelFailure.class,
                        failure -> assertThat(failure.reason()).isEqualTo(ModelFailure.Reason.NOT_CONFIGURED));
    }

    private static ModelPolicy stub(String model) {
        return ModelPolicy.of(new ModelRef("stub", model));
    }

    private static ModelRequest request(TenantSettings tenant, String question, boolean streamed) throws Exception {
        return new ModelRequest(
                        tenant.id(),
                        tenant.slug(),
                        ModelRequest.Source.CONVERSATION,
                        null,
                        List.of(
                                new ModelRequest.Turn(ModelRequest.Role.SYSTEM, "You help customers."),
                                new ModelRequest.Turn(ModelRequest.Role.USER, question)),
                        Grounding.none(),
                        null,
                        streamed)
                .withTools(ModelRequest.Tools.offering(List.of(
                        new ModelRequest.Tool("lookup_order", "Finds an order by its number", orderSchema()),
                        new ModelRequest.Tool("track_parcel", null, orderSchema()))));
    }

    private static JsonNode orderSchema() throws Exception {
        return JSON.readTree("""
                {"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}""");
    }

    private static String query(String question) {
        return JSON.createObjectNode().put("query", question).toString();
    }
}
