package io.switchboard.model;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.ModelStubResource;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.TinyGguf;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process GGUF provider runs the real llama.cpp code on a tiny random-weight model the
 * test tree writes itself: it passes the capability probe, answers customers token by token with
 * metered usage, and keeps to its worker pool and limits.
 */
@QuarkusTest
class LocalGgufModelTest {

    private static final Pattern TOKEN_EVENTS = Pattern.compile("event: ?token");

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @Test
    void theInProcessModelPassesItsProbeAndStreamsAMeteredAnswerToACustomer() {
        as(platformKey)
                .post("/api/v1/model-endpoints/{id}/probe", ModelStubResource.TINY_GGUF_ENDPOINT)
                .then()
                .statusCode(200)
                .body("[0].model", equalTo(ModelStubResource.TINY_GGUF_MODEL))
                .body("[0].modelListed", equalTo(true))
                .body("[0].streams", equalTo(true))
                .body("[0].reportsUsage", equalTo(true))
                // Known from the provider, not asked: it reads text alone.
                .body("[0].capabilities.tools", equalTo(false))
                .body("[0].capabilities.jsonMode", equalTo(false))
                .body("[0].capabilities.images", equalTo(false));

        TenantSettings tenant = tenants.create(new ModelPolicy(
                new ModelRef(ModelStubResource.TINY_GGUF_ENDPOINT, ModelStubResource.TINY_GGUF_MODEL),
                List.of(),
                null,
                null,
                null));
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        // The random model never ends an answer by itself: it runs to this limit.
        as(admin)
                .body(Map.of("assistant", Map.of("limits", Map.of("maxOutputTokensPerTurn", 40))))
                .patch("/api/v1/tenants/{tenant}", tenant.slug())
                .then()
                .statusCode(200);
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        String stream = WidgetClient.stream(conversation, "How do I cancel my booking?");

        Matcher tokens = TOKEN_EVENTS.matcher(stream);
        assertThat(tokens.results().count()).as("token events before the reply").isGreaterThan(1);
        WidgetClient.read(conversation).statusCode(200).body("state", equalTo("BOT"));
        JsonPath transcript = as(admin)
                .get("/api/v1/tenants/{tenant}/conversations/{id}", tenant.slug(), conversation.id())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, Object> reply = transcript.getMap("messages.find { it.role == 'bot' }");
        assertThat(reply)
                .containsEntry("model", ModelStubResource.TINY_GGUF_MODEL)
                .containsEntry("endpoint", ModelStubResource.TINY_GGUF_ENDPOINT)
                .containsEntry("tokensEstimated", false);
        assertThat((Integer) reply.get("inputTokens"))
                .as("the prompt, counted by the model's tokenizer")
                .isGreaterThan(20);
        assertThat(reply).containsEntry("outputTokens", 40);
        assertThat((String) reply.get("text")).isNotBlank();
        as(admin)
                .get("/api/v1/tenants/{tenant}/usage", tenant.slug())
                .then()
                .statusCode(200)
                .body("models.find { it.model == '" + ModelStubResource.TINY_GGUF_MODEL + "' }.answers", equalTo(1))
                .body("inputTokens", greaterThan(20));
    }

    @Test
    void aTurnThatFindsEveryWorkerBusyFailsOverAfterTheFirstTokenTimeout(@TempDir Path directory) throws Exception {
        try (Loaded oneWorker = load(directory, 1, Duration.ofMillis(300))) {
            CountDownLatch firstIsGenerating = new CountDownLatch(1);
            CountDownLatch releaseFirst = new CountDownLatch(1);
            CompletableFuture<ModelReply> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return oneWorker.provider.chat(request(null), fragment -> {
                        firstIsGenerating.countDown();
                        awaitQuietly(releaseFirst);
                    });
                } catch (ModelFailure failure) {
                    throw new IllegalStateException(failure);
                }
            });
            assertThat(firstIsGenerating.await(30, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> oneWorker.provider.chat(request(null), fragment -> {}))
                    .isInstanceOfSatisfying(ModelFailure.class, failure -> {
                        assertThat(failure.reason()).isEqualTo(ModelFailure.Reason.FIRST_TOKEN_TIMEOUT);
                        assertThat(failure.getMessage()).contains("workers of the local model stayed busy");
                    });

            releaseFirst.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS).text()).isNotEmpty();
            assertThat(oneWorker.provider.chat(request(null), fragment -> {}).text())
                    .as("the worker is free again")
                    .isNotEmpty();
        }
    }

    @Test
    void anAnswerStopsAtTheOutputTokenLimitAndSaysItWasCutShort(@TempDir Path directory) throws Exception {
        try (Loaded model = load(directory, 1, Duration.ofSeconds(10))) {
            StringBuilder streamed = new StringBuilder();
            ModelReply reply = model.provider.chat(request(3), streamed::append);

            assertThat(reply.cutShort()).isTrue();
            assertThat(reply.text()).isEqualTo(streamed.toString()).isNotEmpty();
            assertThat(reply.outputTokens()).isEqualTo(3);
        }
    }

    @Test
    void aMissingModelFileFailsTheTurnSoItFallsBackAndIsLoadedOnceItAppears(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("later.gguf");
        ModelEndpoint endpoint = endpoint(file, 1, Duration.ofSeconds(10));
        LocalGgufProviderFactory factory = new LocalGgufProviderFactory();
        try {
            ModelProvider provider = factory.create(endpoint);
            assertThatThrownBy(() -> provider.chat(request(null), fragment -> {}))
                    .isInstanceOfSatisfying(
                            ModelFailure.class,
                            failure -> assertThat(failure.reason()).isEqualTo(ModelFailure.Reason.NOT_CONFIGURED));

            TinyGguf.write(file);
            assertThat(provider.chat(request(null), fragment -> {}).text()).isNotEmpty();
        } finally {
            factory.unload();
        }
    }

    @Test
    void theCatalogueRefusesALocalEndpointWithoutAFileOrDeclaredHosted() {
        LocalGgufProviderFactory factory = new LocalGgufProviderFactory();
        ModelEndpoint noFile = new ModelEndpoint(
                "no-file",
                LocalGgufProviderFactory.ID,
                "self-hosted",
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Map.of(),
                Optional.empty());
        ModelEndpoint hosted = new ModelEndpoint(
                "hosted",
                LocalGgufProviderFactory.ID,
                "hosted",
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Map.of(),
                Optional.of(new ModelEndpoint.LocalModel(Path.of("m.gguf"), 1, 1024, 1, Optional.empty())));

        assertThatThrownBy(() -> factory.validate(noFile)).hasMessageContaining("model-file is required");
        assertThatThrownBy(() -> factory.validate(hosted)).hasMessageContaining("kind must be self-hosted");
    }

    private record Loaded(LocalGgufProviderFactory factory, ModelProvider provider) implements AutoCloseable {
        @Override
        public void close() {
            factory.unload();
        }
    }

    private static Loaded load(Path directory, int workers, Duration firstTokenTimeout) throws Exception {
        Path file = directory.resolve("tiny.gguf");
        TinyGguf.write(file);
        LocalGgufProviderFactory factory = new LocalGgufProviderFactory();
        ModelEndpoint endpoint = endpoint(file, workers, firstTokenTimeout);
        factory.validate(endpoint);
        return new Loaded(factory, factory.create(endpoint));
    }

    private static ModelEndpoint endpoint(Path file, int workers, Duration firstTokenTimeout) {
        return new ModelEndpoint(
                "local-test",
                LocalGgufProviderFactory.ID,
                "self-hosted",
                Optional.empty(),
                Optional.empty(),
                List.of("tiny"),
                Duration.ofSeconds(1),
                firstTokenTimeout,
                Duration.ofSeconds(30),
                Map.of(),
                Optional.of(new ModelEndpoint.LocalModel(file, workers, 1024, 1, Optional.empty())));
    }

    private static ModelRequest request(Integer maxOutputTokens) {
        return new ModelRequest(
                UUID.randomUUID(),
                "test",
                ModelRequest.Source.API,
                "tiny",
                List.of(
                        new ModelRequest.Turn(ModelRequest.Role.SYSTEM, "You help guests."),
                        new ModelRequest.Turn(ModelRequest.Role.USER, "how do i cancel my booking?")),
                Grounding.none(),
                maxOutputTokens,
                true);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
