package io.switchboard.model;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official OpenAI Java client works unchanged against a tenant's /v1, under the tenant's policy. */
@QuarkusTest
class ChatCompletionsTest {

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/v1")
    URI v1;

    @ConfigProperty(name = "switchboard.model.endpoints.stub.base-url")
    String stubBaseUrl;

    @Test
    void answersWithTheTenantsDefaultPolicyWithoutStreaming() {
        TenantSettings tenant = tenants.withStubModel("echo");
        OpenAIClient client = client(tenant);
        String question = "What is the return window for " + UUID.randomUUID() + "?";

        ChatCompletion completion = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("default")
                        .addSystemMessage("Be brief.")
                        .addUserMessage(question)
                        .build());

        assertThat(completion.choices().get(0).message().content()).hasValue("You said: " + question);
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(42);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(9);
        // Asked as the client asked: the whole answer in one response, not a stream reassembled.
        assertThat(StubRequests.last(stubBaseUrl, question).path("stream").asBoolean(true))
                .isFalse();
    }

    @Test
    void streamsTokensWithUsageLikeVllm() {
        TenantSettings tenant = tenants.withStubModel("echo");
        OpenAIClient client = client(tenant);

        try (StreamResponse<ChatCompletionChunk> stream = client.chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("stub/echo")
                        .addUserMessage("Do you deliver on Sundays?")
                        .streamOptions(ChatCompletionStreamOptions.builder()
                                .includeUsage(true)
                                .build())
                        .build())) {
            List<ChatCompletionChunk> chunks = stream.stream().toList();
            String text = chunks.stream()
                    .flatMap(chunk -> chunk.choices().stream())
                    .map(choice -> choice.delta().content().orElse(""))
                    .collect(Collectors.joining());
            assertThat(text).isEqualTo("You said: Do you deliver on Sundays?");
            assertThat(chunks.stream()
                            .filter(chunk -> !chunk.choices().isEmpty())
                            .count())
                    .isGreaterThan(4);
            assertThat(chunks.getLast().usage().orElseThrow().completionTokens())
                    .isEqualTo(7);
        }
        assertThat(StubRequests.last(stubBaseUrl, "Do you deliver on Sundays?")
                        .path("stream")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void readsEventsFramedWithCarriageReturnsAndNoSpaceAsSseStarletteSendsThem() {
        TenantSettings tenant = tenants.withStubModel("echo");

        try (StreamResponse<ChatCompletionChunk> stream = client(tenant)
                .chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("stub/crlf")
                        .addUserMessage("Can I bring a dog?")
                        .streamOptions(ChatCompletionStreamOptions.builder()
                                .includeUsage(true)
                                .build())
                        .build())) {
            List<ChatCompletionChunk> chunks = stream.stream().toList();
            assertThat(chunks.stream()
                            .flatMap(chunk -> chunk.choices().stream())
                            .map(choice -> choice.delta().content().orElse(""))
                            .collect(Collectors.joining()))
                    .isEqualTo("You said: Can I bring a dog?");
            assertThat(chunks.stream()
                            .flatMap(chunk -> chunk.choices().stream())
                            .flatMap(choice -> choice.finishReason().stream()))
                    .containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
            assertThat(chunks.getLast().usage().orElseThrow().promptTokens()).isEqualTo(42);
        }
    }

    @Test
    void fallsBackWhenTheRequestedModelFailsBeforeAnswering() {
        TenantSettings tenant = tenants.withStubModel("error-500", new ModelRef("stub", "echo"));

        ChatCompletion completion = client(tenant)
                .chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("default")
                        .addUserMessage("hello")
                        .build());

        assertThat(completion.choices().get(0).message().content()).contains("You said: hello");
    }

    /** The role delta of a model that failed before answering is not relayed beside the fallback's own. */
    @Test
    void aStreamThatFallsBackAfterTheFirstModelsRoleDeltaCarriesOneRoleDelta() {
        TenantSettings tenant = tenants.withStubModel("stall", new ModelRef("stub", "echo"));
        String question = "Is parking free for " + UUID.randomUUID() + "?";

        try (StreamResponse<ChatCompletionChunk> stream = client(tenant)
                .chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("default")
                        .addUserMessage(question)
                        .build())) {
            List<ChatCompletionChunk.Choice> choices =
                    stream.stream().flatMap(chunk -> chunk.choices().stream()).toList();
            assertThat(choices.stream().filter(choice -> choice.delta().role().isPresent()))
                    .hasSize(1);
            assertThat(choices.stream()
                            .map(choice -> choice.delta().content().orElse(""))
                            .collect(Collectors.joining()))
                    .isEqualTo("You said: " + question);
        }
        assertThat(StubRequests.count(stubBaseUrl, "stall", question)).isEqualTo(1);
    }

    /**
     * Asked for several choices, the client gets each, streamed and not, and the call is metered
     * from the model's usage, which counts the tokens of all of them; the token cap applies to each.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void relaysEveryChoiceWhenAskedForSeveral(boolean streamed) {
        TenantSettings tenant = tenants.withStubModel("echo");
        String question = "Which towels " + UUID.randomUUID();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("default")
                .addUserMessage(question)
                .n(3)
                .maxCompletionTokens(5)
                .streamOptions(
                        streamed
                                ? ChatCompletionStreamOptions.builder()
                                        .includeUsage(true)
                                        .build()
                                : null)
                .build();
        Map<Long, String> texts = new java.util.TreeMap<>();
        long completionTokens;
        if (streamed) {
            try (StreamResponse<ChatCompletionChunk> stream =
                    client(tenant).chat().completions().createStreaming(params)) {
                List<ChatCompletionChunk> chunks = stream.stream().toList();
                chunks.stream()
                        .flatMap(chunk -> chunk.choices().stream())
                        .forEach(choice -> texts.merge(
                                choice.index(), choice.delta().content().orElse(""), String::concat));
                assertThat(chunks.stream()
                                .flatMap(chunk -> chunk.choices().stream())
                                .filter(choice -> choice.finishReason().isPresent()))
                        .hasSize(3);
                completionTokens = chunks.getLast().usage().orElseThrow().completionTokens();
            }
        } else {
            ChatCompletion completion = client(tenant).chat().completions().create(params);
            completion
                    .choices()
                    .forEach(choice ->
                            texts.put(choice.index(), choice.message().content().orElse("")));
            completionTokens = completion.usage().orElseThrow().completionTokens();
        }

        // "You said: Which towels <uuid>" is 5 words: at the cap of 5 for each choice, though 15 for the three.
        assertThat(texts).containsOnlyKeys(0L, 1L, 2L);
        assertThat(texts.values()).containsOnly("You said: " + question);
        assertThat(completionTokens).isEqualTo(15);
        assertThat(StubRequests.last(stubBaseUrl, question).path("n").asInt()).isEqualTo(3);
        String key = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        JsonPath usage = AdminClient.apiUsage(key, tenant.slug(), report -> true);
        assertThat(usage.getInt("api[0].outputTokens")).isEqualTo(15);
    }

    /**
     * Nothing reaches a non-streaming client before the whole answer, so a model that drops the
     * connection midway or never answers is replaced as unnoticed as one that refuses at once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cut", "stall"})
    void aNonStreamingCallWhoseModelFailsMidAnswerFallsBackUnnoticed(String failure) {
        TenantSettings tenant = tenants.withStubModel(failure, new ModelRef("stub", "echo"));
        String question = "Is breakfast included for " + UUID.randomUUID() + "?";

        ChatCompletion completion = client(tenant)
                .chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("default")
                        .addUserMessage(question)
                        .build());

        assertThat(completion.choices().get(0).message().content()).hasValue("You said: " + question);
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(StubRequests.count(stubBaseUrl, failure, question)).isEqualTo(1);
    }

    @Test
    void listsOnlyTheModelsTheTenantMayUseAndRefusesOthers() {
        TenantSettings tenant = tenants.limitedTo(ModelPolicy.of(new ModelRef("stub", "echo")), "stub");
        OpenAIClient client = client(tenant);

        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertThat(ids)
                .contains("default", "stub/echo", "stub/slow")
                .doesNotContain("builtin/retrieval", "hosted-stub/echo");
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("hosted-stub/echo")
                                .addUserMessage("hi")
                                .build()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aTenantKeyIsRequired() {
        as("sbk_nonsense-key-that-does-not-exist-0000")
                .body(Map.of("model", "default", "messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v1/chat/completions")
                .then()
                .statusCode(401);
        as(platformKey)
                .body(Map.of("model", "default", "messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v1/chat/completions")
                .then()
                .statusCode(403)
                .body("error.code", equalTo("tenant_key_required"));
    }

    @Test
    void aMalformedOrInvalidRequestIsRefusedAsOpenAiWouldWithoutCallingTheModel() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String key = AdminClient.newKey(platformKey, tenant.slug(), "agent");

        as(key).body("{\"model\": \"default\", \"messages\": [")
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_body"));
        as(key).body(Map.of("model", "default", "messages", List.of()))
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_value"))
                .body("error.message", containsString("messages"));
        as(key).body(Map.of("messages", List.of(Map.of("role", "robot", "content", "hi"))))
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.code", equalTo("invalid_role"));
        as(key).body(Map.of("messages", List.of(Map.of("role", "user", "content", "hi")), "max_tokens", 0))
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.message", containsString("max_tokens"));
    }

    private OpenAIClient client(TenantSettings tenant) {
        return AdminClient.openAi(platformKey, tenant.slug(), v1);
    }
}
