package io.switchboard.gateway;

import static io.restassured.RestAssured.given;
import static io.switchboard.gateway.ToolDefinitions.lookupOrder;
import static io.switchboard.gateway.ToolDefinitions.objectSchema;
import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.switchboard.model.ModelRef;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.StubRequests;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java client drives /v1 as it drives OpenAI: streaming, a whole tool loop,
 * content parts, JSON mode and every error, each in the shape and with the headers the client
 * reads. Where the point is that a field reaches the model as the caller sent it, the test reads
 * what the model stub received.
 */
@QuarkusTest
class OpenAiClientConformanceTest {

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/v1")
    URI v1;

    @ConfigProperty(name = "switchboard.model.endpoints.stub.base-url")
    String stubBaseUrl;

    @Test
    void streamsTheAnswerAndKeepsTheUsageChunkForClientsThatAskForIt() {
        OpenAIClient client = client(tenants.withStubModel("echo"));
        String question = "Is parking free for " + UUID.randomUUID() + "?";

        try (StreamResponse<ChatCompletionChunk> stream = client.chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("default")
                        .addDeveloperMessage("Answer in one line.")
                        .addUserMessage(question)
                        .build())) {
            List<ChatCompletionChunk> chunks = stream.stream().toList();
            assertThat(chunks.stream()
                            .flatMap(chunk -> chunk.choices().stream())
                            .map(choice -> choice.delta().content().orElse(""))
                            .collect(Collectors.joining()))
                    .isEqualTo("You said: " + question);
            assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.model()).isEqualTo("default"));
            // The client did not ask for usage: the chunk the platform asked for to meter the call is not passed on.
            assertThat(chunks).noneMatch(chunk -> chunk.usage().isPresent());
        }
        JsonNode received = StubRequests.last(stubBaseUrl, question);
        assertThat(received.path("stream_options").path("include_usage").asBoolean())
                .isTrue();
        assertThat(received.path("messages").path(0).path("role").asText()).isEqualTo("developer");
    }

    @Test
    void aStreamFromAModelThatIgnoresTheTokenCapStopsThereWithFinishReasonLength() {
        OpenAIClient client = client(tenants.withStubModel("echo"));

        try (StreamResponse<ChatCompletionChunk> stream = client.chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("default")
                        .addUserMessage("one two three four five six seven")
                        .maxTokens(3)
                        .build())) {
            List<ChatCompletionChunk.Choice> choices =
                    stream.stream().flatMap(chunk -> chunk.choices().stream()).toList();
            assertThat(choices.stream()
                            .map(choice -> choice.delta().content().orElse(""))
                            .collect(Collectors.joining()))
                    .isEqualTo("You said: one ");
            assertThat(choices.stream().flatMap(choice -> choice.finishReason().stream()))
                    .containsExactly(ChatCompletionChunk.Choice.FinishReason.LENGTH);
        }
    }

    @Test
    void runsAToolLoopTheModelStreamsAndTheClientAnswers() {
        OpenAIClient client = client(tenants.withStubModel("tool-caller"));
        String question = "Where is order " + UUID.randomUUID() + "?";
        ChatCompletionCreateParams.Builder conversation = ChatCompletionCreateParams.builder()
                .model("default")
                .addFunctionTool(lookupOrder())
                .parallelToolCalls(false)
                .addUserMessage(question);

        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(conversation.build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        ChatCompletion asked = accumulator.chatCompletion();
        assertThat(asked.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = asked.choices()
                .get(0)
                .message()
                .toolCalls()
                .orElseThrow()
                .get(0)
                .asFunction();
        assertThat(call.id()).isEqualTo("call_stub_0");
        assertThat(call.function().name()).isEqualTo("lookup_order");
        assertThat(call.function().arguments()).isEqualTo("{\"query\":\"" + question + "\"}");

        ChatCompletion answered = client.chat()
                .completions()
                .create(conversation
                        .addMessage(asked.choices().get(0).message())
                        .addMessage(ChatCompletionToolMessageParam.builder()
                                .toolCallId(call.id())
                                .content("shipped on Monday")
                                .build())
                        .build());

        assertThat(answered.choices().get(0).message().content()).hasValue("The tool said: shipped on Monday");
        JsonNode received = StubRequests.last(stubBaseUrl, "shipped on Monday");
        assertThat(received.path("tools").path(0).path("function").path("name").asText())
                .isEqualTo("lookup_order");
        assertThat(received.path("parallel_tool_calls").asBoolean(true)).isFalse();
        JsonNode assistant = received.path("messages").path(1);
        assertThat(assistant.path("tool_calls").path(0).path("id").asText()).isEqualTo("call_stub_0");
        assertThat(received.path("messages").path(2).path("tool_call_id").asText())
                .isEqualTo("call_stub_0");
    }

    @Test
    void aToolCallStreamsFromTheFallbackWhenThePrimaryFailsBeforeAnsweringAndItsTokensAreMetered() {
        TenantSettings tenant = tenants.withStubModel("error-500", new ModelRef("stub", "tool-caller"));
        String key = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        OpenAIClient client = AdminClient.openAi(key, v1);

        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("default")
                        .addFunctionTool(lookupOrder())
                        .addUserMessage("Where is my parcel?")
                        .build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        ChatCompletion.Choice choice = accumulator.chatCompletion().choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().toolCalls().orElseThrow()).hasSize(1);
        // The upstream's usage of a call that answered with a tool call alone: 42 tokens in, 11 out.
        JsonPath usage = AdminClient.apiUsage(key, tenant.slug(), report -> true);
        assertThat(usage.getString("api[0].model")).isEqualTo("tool-caller");
        assertThat(usage.getInt("api[0].inputTokens")).isEqualTo(42);
        assertThat(usage.getInt("api[0].outputTokens")).isEqualTo(11);
    }

    @Test
    void aStreamThatFailsBeforeItsFirstChunkIsRefusedWithAStatus() {
        OpenAIClient client = client(tenants.withStubModel("error-400"));

        BadRequestException refused = catchThrowableOfType(BadRequestException.class, () -> {
            try (StreamResponse<ChatCompletionChunk> stream =
                    client.chat().completions().createStreaming(ask("A question far too long"))) {
                stream.stream().toList();
            }
        });

        assertThat(refused.code()).hasValue("model_refused");
    }

    @Test
    void returnsParallelToolCallsWholeAndStreamed() {
        OpenAIClient client = client(tenants.withStubModel("parallel-tools"));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("default")
                .addFunctionTool(lookupOrder())
                .addFunctionTool(FunctionDefinition.builder()
                        .name("track_parcel")
                        .parameters(objectSchema())
                        .build())
                .addUserMessage("Where are my two orders?")
                .build();

        ChatCompletion whole = client.chat().completions().create(params);
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }

        for (ChatCompletion completion : List.of(whole, accumulator.chatCompletion())) {
            assertThat(completion.choices().get(0).message().toolCalls().orElseThrow().stream()
                            .map(call -> call.asFunction().function().name()))
                    .containsExactly("lookup_order", "track_parcel");
            assertThat(completion.choices().get(0).finishReason())
                    .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        }
    }

    @Test
    void readsContentPartsAsTheModelDoes() {
        OpenAIClient client = client(tenants.withStubModel("echo"));
        String marker = UUID.randomUUID().toString();

        ChatCompletion completion = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("stub/echo")
                        .addUserMessageOfArrayOfContentParts(List.of(text("Can I return "), text(marker + "?")))
                        .build());

        assertThat(completion.choices().get(0).message().content()).hasValue("You said: Can I return " + marker + "?");
        assertThat(completion.model()).isEqualTo("stub/echo");
        assertThat(StubRequests.last(stubBaseUrl, marker)
                        .path("messages")
                        .path(0)
                        .path("content")
                        .isArray())
                .isTrue();
    }

    @Test
    void passesJsonModeSamplingAndUnknownFieldsToTheModelAndCapsTheTokens() {
        OpenAIClient client = client(tenants.withStubModel("echo"));
        String marker = UUID.randomUUID().toString();

        client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("default")
                        .addUserMessage("Answer in JSON: " + marker)
                        .responseFormat(ResponseFormatJsonObject.builder().build())
                        .seed(7)
                        .temperature(0.2)
                        .topP(0.9)
                        .stopOfStrings(List.of("END"))
                        .user("agent-42")
                        .maxCompletionTokens(100_000)
                        .putAdditionalBodyProperty("guided_decoding_backend", JsonValue.from("xgrammar"))
                        .build());

        JsonNode received = StubRequests.last(stubBaseUrl, marker);
        assertThat(received.path("response_format").path("type").asText()).isEqualTo("json_object");
        assertThat(received.path("seed").asInt()).isEqualTo(7);
        assertThat(received.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(received.path("stop").path(0).asText()).isEqualTo("END");
        assertThat(received.path("user").asText()).isEqualTo("agent-42");
        assertThat(received.path("guided_decoding_backend").asText()).isEqualTo("xgrammar");
        // The tenant's limit per answer (800 tokens by default) bounds what the caller asked for.
        assertThat(received.path("max_completion_tokens").asInt()).isEqualTo(800);
        assertThat(received.path("model").asText()).isEqualTo("echo");
    }

    @Test
    void refusesToolsForTheRetrievalModelWhichDoesNotCallThem() {
        OpenAIClient client = client(tenants.create(TestTenants.retrieval()));

        BadRequestException refused = catchThrowableOfType(
                BadRequestException.class,
                () -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("default")
                                .addFunctionTool(lookupOrder())
                                .addUserMessage("Where is my order?")
                                .build()));

        assertThat(refused.code()).hasValue("model_not_supported");
        assertThat(refused.param()).hasValue("tools");
        assertThat(refused.getMessage()).contains("builtin/retrieval");
    }

    @Test
    void aWrongKeyIsAnInvalidApiKeyInOpenAisShape() {
        OpenAIClient client = AdminClient.openAi("sbk_nonsense-key-that-does-not-exist-0000", v1);

        UnauthorizedException refused = catchThrowableOfType(
                UnauthorizedException.class, () -> client.models().list());

        assertThat(refused.code()).hasValue("invalid_api_key");
        assertThat(refused.type()).hasValue("invalid_request_error");
        assertThat(refused.headers().values("Content-Type")).containsExactly("application/json");
    }

    @Test
    void anUnknownModelIsNotFoundAndAnInvalidRequestIsABadRequest() {
        OpenAIClient client = client(tenants.withStubModel("echo"));

        NotFoundException missing = catchThrowableOfType(
                NotFoundException.class,
                () -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("stub/no-such-model")
                                .addUserMessage("hi")
                                .build()));
        BadRequestException invalid = catchThrowableOfType(
                BadRequestException.class,
                () -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("default")
                                .addUserMessage("hi")
                                .maxCompletionTokens(0)
                                .build()));

        assertThat(missing.code()).hasValue("model_not_found");
        assertThat(invalid.type()).hasValue("invalid_request_error");
        assertThat(invalid.param()).hasValue("max_completion_tokens");
    }

    @Test
    void aRateLimitedModelIsRetriedByTheClientAfterRetryAfter() {
        TenantSettings tenant = tenants.withStubModel("limited-once");
        String first = "Opening hours for " + UUID.randomUUID() + "?";
        String second = "Closing hours for " + UUID.randomUUID() + "?";

        RateLimitException limited = catchThrowableOfType(
                RateLimitException.class,
                () -> client(tenant).chat().completions().create(ask(first)));
        ChatCompletion retried = OpenAIOkHttpClient.builder()
                .apiKey(AdminClient.newKey(platformKey, tenant.slug(), "agent"))
                .baseUrl(v1.toString())
                .maxRetries(2)
                .build()
                .chat()
                .completions()
                .create(ask(second));

        assertThat(limited.code()).hasValue("rate_limit_exceeded");
        assertThat(limited.headers().values("retry-after")).containsExactly("1");
        assertThat(retried.choices().get(0).message().content()).hasValue("You said: " + second);
        assertThat(StubRequests.count(stubBaseUrl, "limited-once", second)).isEqualTo(2);
    }

    @Test
    void errorsOutsideTheRouteAreInOpenAisShapeToo() {
        String key =
                AdminClient.newKey(platformKey, tenants.withStubModel("echo").slug(), "agent");

        as(key).get("/v1/no-such-route")
                .then()
                .statusCode(404)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("unknown_url"))
                .body("error", hasKey("param"));
        as(key).get("/v1/chat/completions")
                .then()
                .statusCode(405)
                .contentType(ContentType.JSON)
                .header("Allow", "POST")
                .body("error.type", equalTo("invalid_request_error"));
        given().header("Authorization", "Bearer " + key)
                .contentType(ContentType.TEXT)
                .body("hello")
                .post("/v1/chat/completions")
                .then()
                .statusCode(415)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("unsupported_media_type"));
        as(key).body("{\"messages\": \"" + "x".repeat(1_100_000) + "\"}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(413)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("request_too_large"));
        as(platformKey)
                .body(Map.of("messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v1/chat/completions")
                .then()
                .statusCode(403)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo("tenant_key_required"));
        // The admin API keeps problem+json for the same wrong key.
        as("sbk_nonsense-key-that-does-not-exist-0000")
                .get("/api/v1/tenants")
                .then()
                .statusCode(401)
                .contentType(startsWith("application/problem+json"));
    }

    private static ChatCompletionCreateParams ask(String question) {
        return ChatCompletionCreateParams.builder()
                .model("default")
                .addUserMessage(question)
                .build();
    }

    private static ChatCompletionContentPart text(String text) {
        return ChatCompletionContentPart.ofText(
                ChatCompletionContentPartText.builder().text(text).build());
    }

    private OpenAIClient client(TenantSettings tenant) {
        return AdminClient.openAi(platformKey, tenant.slug(), v1);
    }
}
