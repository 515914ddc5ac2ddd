package io.switchboard.knowledge;

import io.switchboard.testing.BenchApp;
import io.switchboard.testing.ModelStub;
import io.switchboard.testing.PackagedJar;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Answer quality of a packaged application on one split of the Brightcart set (see
 * {@link QualitySet}): per language and per topic, the article the reply cited, where the search
 * ranked the right one, escalation recall and false escalations, through the public API only, so
 * any two jars compare in one run. Usage: {@code <app jar> [tune|heldout, default tune]}.
 */
public final class QualityBenchmark {

    private static final String TENANT_FILE =
            "slug: bench\nname: Brightcart\nmodel: { primary: { endpoint: builtin, model: retrieval } }\n";

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        String split = args.length > 1 ? args[1] : "tune";
        QualitySet set = QualitySet.load(split);
        try (ModelStub stub = ModelStub.start(false);
                BenchApp app = BenchApp.start(
                        jar,
                        TENANT_FILE,
                        stub.baseUrl(),
                        "bench",
                        Map.of(
                                // Each message comes from an address of its own (X-Forwarded-For from loopback).
                                "SWITCHBOARD_PROXY_FORWARDING", "true",
                                "SWITCHBOARD_WIDGET_RATE_LIMIT_CONVERSATIONS_PER_TENANT", "1000000",
                                "SWITCHBOARD_WIDGET_RATE_LIMIT_MESSAGES_PER_TENANT", "1000000"))) {
            QualityRun run = QualityRun.prepare(URI.create(app.baseUrl()), PackagedJar.PLATFORM_KEY, "bench", set);
            QualityReport report = new QualityReport(set, run.ask(set.questions()));
            System.out.printf(
                    "split %s, %d messages%n%s", split, set.questions().size(), report.table());
            if (split.equals("tune") && Boolean.getBoolean("misses")) {
                report.misses().forEach(miss -> System.out.println("miss: " + miss));
            }
        }
    }
}
