package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders each Kustomize overlay under k8s/ with {@code kubectl kustomize}, as an operator would,
 * and checks the objects a cluster would receive: probes, limits, locked-down containers, no
 * secret values, and tenant files identical to tenants-config/.
 */
class KubernetesManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path TENANTS_CONFIG = Path.of("tenants-config");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|api_key|session_key).*");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theApplicationHasProbesLimitsAndALockedDownContainer(String overlay) throws Exception {
        JsonNode pod = deployment(render(overlay)).path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);

        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText())
                    .as(probe)
                    .isEqualTo("management");
        }
        assertThat(container.path("ports").findValuesAsText("name")).contains("http", "management");
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(30);
        assertThat(container.at("/lifecycle/preStop").isMissingNode())
                .as("preStop delay before draining")
                .isFalse();
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean())
                .isTrue();
        assertThat(pod.path("volumes").findValuesAsText("name")).contains("tmp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void healthAndMetricsAreNeitherExposedNorRoutedAndTheIngressEndsTls(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        for (JsonNode service : ofKind(objects, "Service")) {
            assertThat(service.at("/spec/ports").findValuesAsText("targetPort"))
                    .as("Service ports")
                    .doesNotContain("management", "9000");
        }
        JsonNode ingress = ofKind(objects, "Ingress").get(0);
        assertThat(ingress.at("/spec/rules").findValues("port"))
                .as("Ingress backends")
                .extracting(port -> port.path("name").asText())
                .containsOnly("http");
        JsonNode pod = deployment(objects).path("spec").path("template");
        assertThat(pod.at("/metadata/annotations/prometheus.io~1port").asText()).isEqualTo("9000");
        if (overlay.equals("prod")) {
            assertThat(ingress.at("/spec/tls/0/secretName").asText()).isEqualTo("switchboard-tls");
            assertThat(ingress.at("/metadata/annotations/nginx.ingress.kubernetes.io~1ssl-redirect")
                            .asText())
                    .isEqualTo("true");
            JsonNode settings = ofKind(objects, "ConfigMap").stream()
                    .filter(map -> map.at("/metadata/name").asText().startsWith("switchboard-settings"))
                    .findFirst()
                    .orElseThrow()
                    .path("data");
            assertThat(settings.path("SWITCHBOARD_PROXY_FORWARDING").asText()).isEqualTo("true");
            assertThat(settings.path("SWITCHBOARD_TRUSTED_PROXIES").asText()).isNotBlank();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyWorkloadHasLimitsRunsAsNonRootAndCannotEscalate(String overlay) throws Exception {
        List<JsonNode> workloads = ofKind(render(overlay), "Deployment", "StatefulSet");
        assertThat(workloads).isNotEmpty();
        for (JsonNode workload : workloads) {
            String name = workload.at("/metadata/name").asText();
            JsonNode pod = workload.path("spec").path("template").path("spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean())
                    .as(name)
                    .isTrue();
            assertThat(pod.at("/securityContext/seccompProfile/type").asText())
                    .as(name)
                    .isEqualTo("RuntimeDefault");
            for (JsonNode container : pod.path("containers")) {
                assertThat(container.at("/resources/requests/cpu").isTextual())
                        .as(name + " cpu request")
                        .isTrue();
                assertThat(container.at("/resources/requests/memory").isTextual())
                        .as(name + " memory request")
                        .isTrue();
                assertThat(container.at("/resources/limits/memory").isTextual())
                        .as(name + " memory limit")
                        .isTrue();
                assertThat(container
                                .at("/securityContext/allowPrivilegeEscalation")
                                .asBoolean(true))
                        .as(name)
                        .isFalse();
                assertThat(container.at("/securityContext/capabilities/drop").toString())
                        .as(name)
                        .contains("ALL");
                assertThat(container.path("readinessProbe").isMissingNode())
                        .as(name + " readiness probe")
                        .isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void noSecretValueIsInTheRepository(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        assertThat(ofKind(objects, "Secret")).as("Secret objects").isEmpty();
        for (JsonNode workload : ofKind(objects, "Deployment", "StatefulSet")) {
            for (JsonNode container : workload.at("/spec/template/spec/containers")) {
                for (JsonNode variable : container.path("env")) {
                    if (SECRET_NAME.matcher(variable.path("name").asText()).matches()) {
                        assertThat(variable.has("value"))
                                .as(variable.path("name").asText() + " has an inline value")
                                .isFalse();
                        assertThat(variable.at("/valueFrom/secretKeyRef/name").isTextual())
                                .isTrue();
                    }
                }
            }
        }
        settings(objects)
                .fieldNames()
                .forEachRemaining(
                        variable -> assertThat(SECRET_NAME.matcher(variable).matches())
                                .as("settings ConfigMap holds " + variable)
                                .isFalse());
    }

    /** Every file of tenants-config/ reaches the replicas byte for byte, at its own path, and nothing else does. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theTenantFilesMountedAreExactlyTenantsConfig(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        JsonNode pod = deployment(objects).at("/spec/template/spec");
        String root = settings(objects).path("SWITCHBOARD_TENANTS_DIR").asText();
        Map<String, String> configMapOfVolume = new HashMap<>();
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.has("configMap")) {
                configMapOfVolume.put(
                        volume.path("name").asText(),
                        volume.at("/configMap/name").asText());
            }
        }
        Map<String, String> mounted = new HashMap<>();
        for (JsonNode mount : pod.at("/containers/0/volumeMounts")) {
            String path = mount.path("mountPath").asText();
            String configMapName = configMapOfVolume.get(mount.path("name").asText());
            if (configMapName != null && path.startsWith(root)) {
                JsonNode configMap = named(objects, "ConfigMap", configMapName);
                configMap
                        .path("data")
                        .fields()
                        .forEachRemaining(file -> mounted.put(
                                Path.of(root)
                                        .relativize(Path.of(path, file.getKey()))
                                        .toString(),
                                file.getValue().asText()));
            }
        }

        Map<String, String> expected = new HashMap<>();
        try (Stream<Path> files = Files.walk(TENANTS_CONFIG)) {
            // The Kustomization that turns the directory into ConfigMaps is not itself a tenant file.
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().equals("Kustomization"))
                    .toList()) {
                expected.put(
                        TENANTS_CONFIG.relativize(file).toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        assertThat(expected).isNotEmpty();
        assertThat(mounted).isEqualTo(expected);
    }

    @Test
    void devRunsOneReplicaWithItsOwnDatabaseBrokerAndIdentityProvider() throws Exception {
        List<JsonNode> objects = render("dev");
        assertThat(deployment(objects).at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(ofKind(objects, "HorizontalPodAutoscaler")).isEmpty();
        assertThat(ofKind(objects, "StatefulSet", "Deployment").stream()
                        .map(o -> o.at("/metadata/name").asText()))
                .containsExactlyInAnyOrder("switchboard", "postgres", "kafka", "keycloak");
        JsonNode settings = settings(objects);
        assertThat(settings.path("SWITCHBOARD_DB_URL").asText())
                .isEqualTo("jdbc:postgresql://postgres:5432/switchboard");
        assertThat(settings.path("KAFKA_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
        assertThat(settings.path("SWITCHBOARD_EVENTS_CONNECTOR").asText()).isEqualTo("smallrye-kafka");
        JsonNode realm = ofKind(objects, "ConfigMap").stream()
                .filter(configMap -> configMap.at("/metadata/name").asText().startsWith("keycloak-realm"))
                .findFirst()
                .orElseThrow();
        assertThat(realm.at("/data/switchboard-realm.json").asText())
                .isEqualTo(Files.readString(Path.of("keycloak/switchboard-realm.json"), StandardCharsets.UTF_8));
    }

    @Test
    void prodScalesOutBehindABudgetAndNamesExternalServicesOnly() throws Exception {
        List<JsonNode> objects = render("prod");
        assertThat(ofKind(objects, "StatefulSet")).isEmpty();
        assertThat(ofKind(objects, "Deployment")).hasSize(1);
        JsonNode autoscaler = ofKind(objects, "HorizontalPodAutoscaler").get(0);
        assertThat(autoscaler.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(autoscaler.at("/spec/scaleTargetRef/name").asText()).isEqualTo("switchboard");
        assertThat(ofKind(objects, "PodDisruptionBudget")
                        .get(0)
                        .at("/spec/maxUnavailable")
                        .asInt())
                .isEqualTo(1);
        JsonNode ingress = ofKind(objects, "Ingress").get(0);
        assertThat(Integer.parseInt(ingress.at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-read-timeout")
                        .asText()))
                .as("WebSocket idle timeout, seconds")
                .isGreaterThanOrEqualTo(3600);
        assertThat(deployment(objects)
                        .at("/spec/template/spec/containers/0/image")
                        .asText())
                .isEqualTo("registry.example.com/switchboard:1.0.0");
        assertThat(settings(objects)
                        .path("SWITCHBOARD_EVENTS_REPLICATION_FACTOR")
                        .asText())
                .isEqualTo("3");
    }

    private static List<JsonNode> render(String overlay) throws IOException, InterruptedException {
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", "k8s/overlays/" + overlay)
                .redirectErrorStream(true)
                .start();
        String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor()).as(output).isZero();
        List<JsonNode> objects = new ArrayList<>();
        try (var documents = YAML.readValues(YAML.createParser(output), JsonNode.class)) {
            documents.forEachRemaining(objects::add);
        }
        return objects;
    }

    private static List<JsonNode> ofKind(List<JsonNode> objects, String... kinds) {
        List<String> wanted = List.of(kinds);
        return objects.stream()
                .filter(object -> wanted.contains(object.path("kind").asText()))
                .toList();
    }

    private static JsonNode named(List<JsonNode> objects, String kind, String name) {
        return ofKind(objects, kind).stream()
                .filter(object -> object.at("/metadata/name").asText().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static JsonNode deployment(List<JsonNode> objects) {
        return named(objects, "Deployment", "switchboard");
    }

    private static JsonNode settings(List<JsonNode> objects) {
        String name = deployment(objects)
                .at("/spec/template/spec/containers/0/envFrom/0/configMapRef/name")
                .asText();
        return named(objects, "ConfigMap", name).path("data");
    }
}
