package io.switchboard.gateway;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.ModelStub;
import io.switchboard.testing.ModelStubResource;
import io.switchboard.testing.StubRequests;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/embeddings} as a tenant's RAG script calls it with the official OpenAI Java
 * client: the platform's in-process model, a model of the tenant's endpoint (the stub's {@code
 * embed}), metering into the usage report, and every refusal in the shape the client reads.
 */
@QuarkusTest
class OpenAiEmbeddingsTest {

    private static final String IN_PROCESS = "all-minilm-l6-v2";

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/v1")
    URI v1;

    @ConfigProperty(name = "switchboard.model.endpoints.stub.base-url")
    String stubBaseUrl;

    @Test
    void embedsAStringAndAListInProcessAsUnitVectorsThatPlaceAParaphraseNearer() {
        OpenAIClient client = client(tenants.withStubModel("echo"));
        String question = "How do I reset my password?";

        CreateEmbeddingResponse single = embed(client, ask().input(question));
        CreateEmbeddingResponse list = embed(
                client,
                ask().inputOfArrayOfStrings(List.of(
                        question,
                        "I forgot my password; how can I change it?",
                        "The parcel was left at the wrong address.")));

        assertThat(single.model()).isEqualTo(IN_PROCESS);
        assertThat(single.data()).hasSize(1);
        assertThat(single.usage().promptTokens()).isPositive();
        assertThat(single.usage().totalTokens()).isEqualTo(single.usage().promptTokens());
        assertThat(list.data()).extracting(Embedding::index).containsExactly(0L, 1L, 2L);
        assertThat(list.usage().promptTokens()).isGreaterThan(single.usage().promptTokens());
        List<Float> asked = single.data().get(0).embedding();
        assertThat(asked).hasSize(384);
        assertThat(dot(asked, asked)).isCloseTo(1.0, within(1e-4));
        assertThat(list.data().get(0).embedding()).isEqualTo(asked);
        assertThat(dot(asked, list.data().get(1).embedding()))
                .isGreaterThan(dot(asked, list.data().get(2).embedding()) + 0.2);
    }

    @Test
    void base64VectorsAreTheFloatsAsLittleEndianBytes() {
        OpenAIClient client = client(tenants.withStubModel("echo"));
        String text = "Can I bring my dog?";

        List<Float> floats = embed(client, ask().input(text)).data().get(0).embedding();
        Embedding encoded = embed(client, ask().input(text).encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64))
                .data()
                .get(0);

        assertThat(encoded.embeddingValue().isBase64()).isTrue();
        assertThat(decode(encoded.embeddingValue().asBase64())).isEqualTo(floats);
    }

    @Test
    void inProcessEmbeddingsAreMeteredInTheTenantsUsageReportAtNoCost() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String key = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        OpenAIClient client = AdminClient.openAi(key, v1);

        long tokens = embed(client, ask().inputOfArrayOfStrings(List.of("late check-in", "pets")))
                        .usage()
                        .promptTokens()
                + embed(client, ask().input("cancellation policy")).usage().promptTokens();

        JsonPath usage = usageReport(key, tenant, report -> report.getInt("api[0].requests") == 2);
        assertThat(usage.getString("api[0].endpoint")).isEqualTo("builtin");
        assertThat(usage.getString("api[0].model")).isEqualTo(IN_PROCESS);
        assertThat(usage.getLong("api[0].inputTokens")).isEqualTo(tokens);
        assertThat(usage.getLong("api[0].outputTokens")).isZero();
        assertThat(new BigDecimal(usage.getString("api[0].costUsd"))).isZero();
    }

    @Test
    void aModelOfTheTenantsEndpointIsAskedWithTheClientsBodyAndMeteredAtItsPrice() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String key = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        OpenAIClient client = AdminClient.openAi(key, v1);
        String first = "Where is " + UUID.randomUUID() + "?";
        String second = "Opening hours";

        CreateEmbeddingResponse answer = embed(
                client,
                ask().model("stub/embed")
                        .inputOfArrayOfStrings(List.of(first, second))
                        .user("indexer-7"));
        Embedding encoded = embed(
                        client,
                        ask().model("stub/embed")
                                .input(second)
                                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64))
                .data()
                .get(0);

        assertThat(answer.model()).isEqualTo("stub/embed");
        assertThat(answer.data().get(0).embedding()).isEqualTo(floats(ModelStub.vectorOf(first)));
        assertThat(answer.data().get(1).embedding()).isEqualTo(floats(ModelStub.vectorOf(second)));
        assertThat(decode(encoded.embeddingValue().asBase64())).isEqualTo(floats(ModelStub.vectorOf(second)));
        JsonNode received = StubRequests.last(stubBaseUrl, first);
        assertThat(received.path("model").asText()).isEqualTo("embed");
        assertThat(received.path("input").path(1).asText()).isEqualTo(second);
        assertThat(received.path("user").asText()).isEqualTo("indexer-7");
        // Five tokens per input, as the stub reports them: 2 + 1 inputs at $20 per million.
        JsonPath usage = usageReport(key, tenant, report -> report.getInt("api[0].requests") == 2);
        assertThat(usage.getString("api[0].endpoint")).isEqualTo("stub");
        assertThat(usage.getString("api[0].model")).isEqualTo("embed");
        assertThat(usage.getInt("api[0].inputTokens")).isEqualTo(3 * ModelStub.EMBED_TOKENS_PER_INPUT);
        assertThat(new BigDecimal(usage.getString("api[0].costUsd")))
                .isEqualByComparingTo(new BigDecimal(ModelStubResource.EMBED_INPUT_USD_PER_MTOK)
                        .multiply(BigDecimal.valueOf(3L * ModelStub.EMBED_TOKENS_PER_INPUT))
                        .movePointLeft(6));
    }

    @Test
    void aChatModelOrOneThatCannotEmbedIsABadRequest() {
        OpenAIClient client = client(tenants.withStubModel("echo"));
        String marker = "Embed " + UUID.randomUUID();

        BadRequestException refused = catchThrowableOfType(
                BadRequestException.class,
                () -> embed(client, ask().model("stub/echo").input(marker)));
        BadRequestException unsupported = catchThrowableOfType(
                BadRequestException.class,
                () -> embed(client, ask().model("builtin/retrieval").input("hello")));

        assertThat(refused.code()).hasValue("model_refused");
        // The chat model's server refused: the request reached it.
        assertThat(StubRequests.last(stubBaseUrl, marker).path("model").asText())
                .isEqualTo("echo");
        assertThat(unsupported.code()).hasValue("model_not_supported");
        assertThat(unsupported.param()).hasValue("model");
    }

    @Test
    void anInvalidRequestIsABadRequestNamingTheParameter() {
        OpenAIClient client = client(tenants.withStubModel("echo"));

        assertThat(refusedParam(client, ask().input(""))).isEqualTo("input");
        assertThat(refusedParam(client, ask().input("  \n"))).isEqualTo("input");
        assertThat(refusedParam(client, ask().inputOfArrayOfStrings(List.of("fine", ""))))
                .isEqualTo("input");
        assertThat(refusedParam(client, ask().inputOfArrayOfStrings(List.of()))).isEqualTo("input");
        assertThat(refusedParam(
                        client,
                        ask().inputOfArrayOfStrings(Collections.nCopies(EmbeddingRequests.MAX_INPUTS + 1, "x"))))
                .isEqualTo("input");
        // Token ids of another tokenizer mean nothing to the in-process model.
        assertThat(refusedParam(client, ask().inputOfArrayOfTokens(List.of(9906L, 1917L))))
                .isEqualTo("input");
        assertThat(refusedParam(client, ask().input("hello").dimensions(256))).isEqualTo("dimensions");
        assertThat(refusedParam(
                        client, ask().input("hello").encodingFormat(EmbeddingCreateParams.EncodingFormat.of("int8"))))
                .isEqualTo("encoding_format");
        as(AdminClient.newKey(platformKey, tenants.withStubModel("echo").slug(), "agent"))
                .body(Map.of("input", "hello"))
                .post("/v1/embeddings")
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error.param", equalTo("model"))
                .body("error.code", equalTo("missing_required_parameter"));
        assertThat(embed(client, ask().input("hello").dimensions(384))
                        .data()
                        .get(0)
                        .embedding())
                .hasSize(384);
    }

    @Test
    void anUnknownModelOrOneTheTenantMayNotUseIsNotFound() {
        OpenAIClient client = client(tenants.limitedTo(ModelPolicy.of(new ModelRef("stub", "echo")), "stub"));

        for (String model : List.of("text-embedding-3-small", "default", "stub/no-such-model", "hosted-stub/echo")) {
            NotFoundException missing = catchThrowableOfType(
                    NotFoundException.class,
                    () -> embed(client, ask().model(model).input("hello")));
            assertThat(missing.code()).as(model).hasValue("model_not_found");
        }
        assertThat(client.models().list().data()).extracting(Model::id).contains(IN_PROCESS, "stub/embed");
    }

    @Test
    void aWrongKeyIsAnAuthenticationErrorAndAnotherMethodIsNotAllowed() {
        OpenAIClient client = AdminClient.openAi("sbk_nonsense-key-that-does-not-exist-0000", v1);

        UnauthorizedException refused =
                catchThrowableOfType(UnauthorizedException.class, () -> embed(client, ask().input("hello")));

        assertThat(refused.code()).hasValue("invalid_api_key");
        as(AdminClient.newKey(platformKey, tenants.withStubModel("echo").slug(), "agent"))
                .get("/v1/embeddings")
                .then()
                .statusCode(405)
                .contentType(ContentType.JSON)
                .header("Allow", "POST")
                .body("error.code", equalTo("method_not_allowed"));
    }

    @Test
    void aSpentBudgetRefusesEmbeddingsAsItRefusesCompletions() {
        TenantSettings tenant = tenants.create(new ModelPolicy(
                new ModelRef("stub", "echo"),
                List.of(),
                new ModelPolicy.Budget(new BigDecimal("0.00005"), ModelPolicy.OnExceeded.HANDOFF),
                null,
                null));
        OpenAIClient client = client(tenant);
        // One echo answer costs about $0.0001, twice the budget.
        client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("default")
                        .addUserMessage("Where is my parcel?")
                        .build());

        for (String model : List.of(IN_PROCESS, "stub/embed")) {
            RateLimitException refused = catchThrowableOfType(
                    RateLimitException.class,
                    () -> embed(client, ask().model(model).input("hello")));
            assertThat(refused.code()).as(model).hasValue("insufficient_quota");
            assertThat(refused.headers().values("x-should-retry")).containsExactly("false");
        }
    }

    @Test
    void embeddingsShareTheTenantsLimitOfModelCallsInFlightWithCompletions() {
        TenantSettings tenant = tenants.withStubModel("slow");
        OpenAIClient client = client(tenant);
        // One word, so the slow model's answer ("You said: <marker>") stays within the stub endpoint's total timeout.
        String marker = UUID.randomUUID().toString().substring(0, 8);
        ExecutorService callers = Executors.newFixedThreadPool(ModelStubResource.TENANT_CONCURRENCY);
        try {
            List<CompletableFuture<String>> inFlight = IntStream.range(0, ModelStubResource.TENANT_CONCURRENCY)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> client.chat()
                                    .completions()
                                    .create(ChatCompletionCreateParams.builder()
                                            .model("default")
                                            .addUserMessage(marker + "-" + i)
                                            .build())
                                    .choices()
                                    .get(0)
                                    .message()
                                    .content()
                                    .orElse(""),
                            callers))
                    .toList();
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            StubRequests.count(stubBaseUrl, "slow", marker) == ModelStubResource.TENANT_CONCURRENCY);

            RateLimitException refused =
                    catchThrowableOfType(RateLimitException.class, () -> embed(client, ask().input("hello")));

            assertThat(refused.code()).hasValue("rate_limit_exceeded");
            assertThat(refused.headers().values("retry-after")).containsExactly("1");
            assertThat(refused.headers().values("x-ratelimit-limit-requests"))
                    .containsExactly(String.valueOf(ModelStubResource.TENANT_CONCURRENCY));
            assertThat(inFlight.stream().map(CompletableFuture::join)).allMatch(text -> text.startsWith("You said"));
            assertThat(embed(client, ask().input("hello")).data()).hasSize(1);
        } finally {
            callers.shutdownNow();
        }
    }

    /** A request to the in-process model, unless the test names another. */
    private static EmbeddingCreateParams.Builder ask() {
        return EmbeddingCreateParams.builder().model(IN_PROCESS);
    }

    private static CreateEmbeddingResponse embed(OpenAIClient client, EmbeddingCreateParams.Builder params) {
        return client.embeddings().create(params.build());
    }

    private static String refusedParam(OpenAIClient client, EmbeddingCreateParams.Builder params) {
        BadRequestException refused = catchThrowableOfType(BadRequestException.class, () -> embed(client, params));
        assertThat(refused).isNotNull();
        assertThat(refused.type()).hasValue("invalid_request_error");
        return refused.param().orElse(null);
    }

    private JsonPath usageReport(String key, TenantSettings tenant, java.util.function.Predicate<JsonPath> complete) {
        return AdminClient.apiUsage(key, tenant.slug(), complete);
    }

    private static List<Float> decode(String base64) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        Float[] values = new Float[bytes.remaining() / Float.BYTES];
        for (int i = 0; i < values.length; i++) {
            values[i] = bytes.getFloat();
        }
        return List.of(values);
    }

    private static List<Float> floats(float[] vector) {
        Float[] values = new Float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            values[i] = vector[i];
        }
        return List.of(values);
    }

    private static double dot(List<Float> a, List<Float> b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += a.get(i) * b.get(i);
        }
        return sum;
    }

    private OpenAIClient client(TenantSettings tenant) {
        return AdminClient.openAi(platformKey, tenant.slug(), v1);
    }
}
