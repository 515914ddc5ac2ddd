package io.switchboard.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.NodeTests;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The official OpenAI Node client ({@code openai} from npm, pinned in
 * {@code src/test/node/openai-conformance}) drives /v1 as a Node application would: whole and
 * streamed answers, content parts, roles, JSON mode, whole and streamed tool loops, embeddings
 * (which the client asks for in base64 and decodes) and every error as the client's own error class. Each Node scenario is a test of its own here; the
 * scenarios read what the model stub received where the point is what reached the model.
 */
@QuarkusTest
class NodeClientConformanceTest {

    private static final Path PROJECT = Path.of("src", "test", "node", "openai-conformance");
    /** The stub models the scenarios talk to, each the primary model of a tenant of its own. */
    private static final List<String> MODELS = List.of(
            "echo", "tool-caller", "parallel-tools", "limited-once", "error-429", "error-500", "error-400", "cut");

    @Inject
    TestTenants tenants;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/v1")
    URI v1;

    @ConfigProperty(name = "switchboard.model.endpoints.stub.base-url")
    String stubBaseUrl;

    @TestFactory
    Stream<DynamicTest> theOfficialNodeClientWorksWithV1AsWithOpenAi() throws Exception {
        Map<String, String> keys = new TreeMap<>();
        for (String model : MODELS) {
            keys.put(model, agentKey(tenants.withStubModel(model).slug()));
        }
        keys.put("retrieval", agentKey(tenants.create(TestTenants.retrieval()).slug()));

        return NodeTests.run(
                PROJECT,
                Map.of(
                        "SWITCHBOARD_V1",
                        v1.toString(),
                        "SWITCHBOARD_KEYS",
                        json.writeValueAsString(keys),
                        "SWITCHBOARD_PLATFORM_KEY",
                        platformKey,
                        "MODEL_STUB_URL",
                        stubBaseUrl),
                Duration.ofMinutes(2));
    }

    private String agentKey(String tenant) {
        return AdminClient.newKey(platformKey, tenant, "agent");
    }
}
