package io.switchboard.gateway;

import static io.switchboard.gateway.ToolDefinitions.lookupOrder;
import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.ModelStub;
import io.switchboard.testing.ModelStubResource;
import io.switchboard.testing.StubRequests;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request that needs tools, JSON mode or images goes only to the policy's models whose probe
 * did not find them lacking; when none is left, the caller gets OpenAI's 400 naming each model
 * and the field that asked. The models are the stub's on an endpoint probed before each test.
 */
@QuarkusTest
class ModelCapabilityRoutingTest {

    private static final String ENDPOINT = ModelStubResource.CAPABLE_STUB;
    private static final String PIXEL =
            "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC";

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @ConfigProperty(name = "switchboard.model.endpoints.stub.base-url")
    String stubBaseUrl;

    @TestHTTPResource("/v1")
    URI v1;

    @BeforeEach
    void probeTheModels() {
        as(platformKey)
                .post("/api/v1/model-endpoints/{id}/probe", ENDPOINT)
                .then()
                .statusCode(200);
    }

    @Test
    void aToolRequestSkipsAPrimaryWithoutToolsForTheFallbackThatCallsThem() {
        OpenAIClient client = client(policy("no-tools", "tool-caller"));
        String question = "Where is order " + UUID.randomUUID() + "?";

        ChatCompletion completion = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("default")
                        .addFunctionTool(lookupOrder())
                        .addUserMessage(question)
                        .build());

        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(StubRequests.count(stubBaseUrl, "tool-caller", question)).isEqualTo(1);
        assertThat(StubRequests.count(stubBaseUrl, "no-tools", question)).isZero();
    }

    @Test
    void aToolRequestNoModelOfThePolicyCanAnswerIsRefusedNamingEachModel() {
        OpenAIClient client = client(policy("text-only", "no-tools"));
        String question = "Where is order " + UUID.randomUUID() + "?";

        BadRequestException refused = catchThrowableOfType(
                BadRequestException.class,
                () -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("default")
                                .addFunctionTool(lookupOrder())
                                .addUserMessage(question)
                                .build()));

        assertThat(refused.code()).hasValue("model_not_supported");
        assertThat(refused.param()).hasValue("tools");
        assertThat(refused.getMessage())
                .contains("`capable-stub/text-only` does not call tools")
                .contains("`capable-stub/no-tools` does not call tools");
        assertThat(StubRequests.count(stubBaseUrl, "text-only", question)).isZero();
    }

    @Test
    void jsonModeGoesOnlyToAModelThatAnswersInIt() throws Exception {
        OpenAIClient client = client(policy("text-only", "echo"));
        String question = "Answer in JSON: is " + UUID.randomUUID() + " in stock?";

        ChatCompletion completion = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("default")
                        .addUserMessage(question)
                        .responseFormat(ResponseFormatJsonObject.builder().build())
                        .build());

        JsonNode answer = new ObjectMapper()
                .readTree(completion.choices().get(0).message().content().orElseThrow());
        assertThat(answer.path("you_said").asText()).isEqualTo(question);
        assertThat(StubRequests.count(stubBaseUrl, "text-only", question)).isZero();
        BadRequestException refused = catchThrowableOfType(
                BadRequestException.class,
                () -> client(policy("text-only"))
                        .chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("default")
                                .addUserMessage(question)
                                .responseFormat(
                                        ResponseFormatJsonObject.builder().build())
                                .build()));
        assertThat(refused.code()).hasValue("model_not_supported");
        assertThat(refused.param()).hasValue("response_format");
        assertThat(refused.getMessage()).contains("`capable-stub/text-only` does not answer in JSON mode");
    }

    @Test
    void anImagePartReachesAModelThatAcceptsImagesUnchanged() {
        TenantSettings tenant = policy("echo");
        String marker = UUID.randomUUID().toString();
        List<Map<String, Object>> parts = List.of(
                Map.of("type", "text", "text", "What is on label " + marker + "?"),
                Map.of("type", "image_url", "image_url", Map.of("url", PIXEL, "detail", "low")));

        String answer = as(AdminClient.newKey(platformKey, tenant.slug(), "agent"))
                .body(Map.of("model", "default", "messages", List.of(Map.of("role", "user", "content", parts))))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .path("choices[0].message.content");

        assertThat(answer).isEqualTo("You said: What is on label " + marker + "?");
        JsonNode received =
                StubRequests.last(stubBaseUrl, marker).path("messages").path(0).path("content");
        assertThat(received).isEqualTo(new ObjectMapper().valueToTree(parts));
    }

    @Test
    void anImagePartForAModelWithoutImagesIsRefusedNamingThePart() {
        OpenAIClient client = client(policy("text-only"));

        BadRequestException refused = catchThrowableOfType(
                BadRequestException.class,
                () -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("default")
                                .addUserMessage("Hello")
                                .addUserMessageOfArrayOfContentParts(List.of(
                                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                                                .text("What is on this label?")
                                                .build()),
                                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                                        .url(PIXEL)
                                                        .build())
                                                .build())))
                                .build()));

        assertThat(refused.code()).hasValue("model_not_supported");
        assertThat(refused.param()).hasValue("messages[1].content[1]");
        assertThat(refused.getMessage()).contains("`capable-stub/text-only` does not accept images");
    }

    @Test
    void embeddingsOfAModelWhoseProbeFoundItDoesNotEmbedAreRefusedWithoutAskingIt() {
        OpenAIClient client = client(policy("echo"));
        String marker = "Embed " + UUID.randomUUID();

        BadRequestException refused = catchThrowableOfType(
                BadRequestException.class,
                () -> client.embeddings()
                        .create(EmbeddingCreateParams.builder()
                                .model(ENDPOINT + "/echo")
                                .input(marker)
                                .build()));
        CreateEmbeddingResponse embedded = client.embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model(ENDPOINT + "/embed")
                        .input(marker)
                        .build());

        assertThat(refused.code()).hasValue("model_not_supported");
        assertThat(refused.param()).hasValue("model");
        assertThat(refused.getMessage()).contains("`capable-stub/echo` does not embed");
        assertThat(StubRequests.count(stubBaseUrl, "echo", marker)).isZero();
        assertThat(embedded.data().get(0).embedding()).hasSize(ModelStub.vectorOf(marker).length);
    }

    /** A tenant whose primary and fallbacks are these models of the probed endpoint. */
    private TenantSettings policy(String primary, String... fallbacks) {
        return tenants.create(new ModelPolicy(
                new ModelRef(ENDPOINT, primary),
                java.util.Arrays.stream(fallbacks)
                        .map(model -> new ModelRef(ENDPOINT, model))
                        .toList(),
                null,
                null,
                null));
    }

    private OpenAIClient client(TenantSettings tenant) {
        return AdminClient.openAi(platformKey, tenant.slug(), v1);
    }
}
