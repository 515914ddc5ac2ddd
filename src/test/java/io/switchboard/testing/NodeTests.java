package io.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * A Node project of the test tree (under {@code src/test/node}) run with Node's own test runner:
 * its packages installed from its lock file when they are not yet, its scenarios run against
 * what the Java test set up, and each scenario's result as a JUnit test of its own, failing with
 * the scenario's assertion.
 */
public final class NodeTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    /** Each scenario's own bound; the whole run's is the caller's. */
    private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(20);

    private NodeTests() {}

    /** One result per top-level scenario, as reporter.mjs writes them. */
    public record Scenario(String name, String file, boolean passed, String error) {}

    /**
     * Runs every {@code *.test.mjs} of the project with these environment variables (the
     * client's own {@code OPENAI_*} ones left out, so a developer's do not redirect it), and
     * returns one JUnit test per scenario.
     */
    public static Stream<DynamicTest> run(Path project, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        install(project);
        Path output = Files.createTempFile("node-tests", ".jsonl");
        Path errors = Files.createTempFile("node-tests", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(
                            "node",
                            "--test",
                            "--test-timeout=" + SCENARIO_TIMEOUT.toMillis(),
                            "--test-reporter=./reporter.mjs",
                            "--test-reporter-destination=stdout")
                    .directory(project.toFile())
                    .redirectOutput(output.toFile())
                    .redirectError(errors.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("OPENAI_"));
            builder.environment().putAll(environment);
            int exit = finish(builder.start(), "node --test", timeout, output, errors);
            List<Scenario> scenarios = scenarios(output);
            // What Node itself printed, such as why a file could not be loaded.
            String printed = Files.readString(errors);
            if (scenarios.isEmpty() || (exit != 0 && scenarios.stream().allMatch(Scenario::passed))) {
                fail("node --test exited with " + exit + " after " + scenarios.size() + " scenarios:\n"
                        + Files.readString(output) + printed);
            }
            return scenarios.stream()
                    .map(scenario -> DynamicTest.dynamicTest(scenario.name(), () -> {
                        if (!scenario.passed()) {
                            fail(scenario.name() + " (" + scenario.file() + "):\n" + scenario.error() + "\n" + printed);
                        }
                    }));
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    /** {@code npm ci} when a dependency is missing or not at the version package.json pins. */
    private static void install(Path project) throws IOException, InterruptedException {
        JsonNode dependencies =
                JSON.readTree(project.resolve("package.json").toFile()).path("dependencies");
        boolean installed = true;
        for (Map.Entry<String, JsonNode> dependency : dependencies.properties()) {
            Path manifest =
                    project.resolve("node_modules").resolve(dependency.getKey()).resolve("package.json");
            installed &= Files.exists(manifest)
                    && JSON.readTree(manifest.toFile())
                            .path("version")
                            .asText()
                            .equals(dependency.getValue().asText());
        }
        if (installed) {
            return;
        }
        Path log = Files.createTempFile("npm-ci", ".log");
        try {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(project.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            assertThat(finish(npm, "npm ci", INSTALL_TIMEOUT, log, log))
                    .as("npm ci in %s:\n%s", project, Files.readString(log))
                    .isZero();
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The process's exit code; a process still running at the timeout is ended with its children, and fails the test. */
    private static int finish(Process process, String what, Duration timeout, Path output, Path errors)
            throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail(what + " did not finish in " + timeout + ":\n" + Files.readString(output)
                    + (output.equals(errors) ? "" : Files.readString(errors)));
        }
        return process.exitValue();
    }

    private static List<Scenario> scenarios(Path output) throws IOException {
        List<Scenario> scenarios = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            try {
                scenarios.add(JSON.readValue(line, Scenario.class));
            } catch (JsonProcessingException notAResult) {
                // A line a scenario printed itself: it stays in the output a failure shows.
            }
        }
        return scenarios;
    }
}
