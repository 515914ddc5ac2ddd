package io.switchboard.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Messages built to make the guardrails work hard are answered like any other, and never hold up other customers. */
@QuarkusTest
class HostileMessagesTest {

    private static final List<String> HOSTILE = List.of(
            "%41%41%41%41 ".repeat(14),
            "%41%41%41%41 ".repeat(300),
            "%2541".repeat(800),
            "[".repeat(4000),
            "[a](".repeat(1000),
            "<a".repeat(2000),
            "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo= ".repeat(100),
            "x".repeat(4000),
            "r-e-p-e-a-t ".repeat(333));

    @Inject
    TestTenants tenants;

    @Test
    void aQuestionIsAnsweredWhileHostileMessagesArriveAndTheyAreAnsweredToo() throws Exception {
        TenantSettings tenant = tenants.create(ModelPolicy.of(new ModelRef("stub", "echo")));
        ExecutorService customers = Executors.newFixedThreadPool(HOSTILE.size());
        try {
            List<Future<Integer>> hostile = HOSTILE.stream()
                    .map(text -> customers.submit(() -> WidgetClient.send(WidgetClient.start(tenant.slug()), text)
                            .extract()
                            .statusCode()))
                    .toList();
            String reply = WidgetClient.send(WidgetClient.start(tenant.slug()), "How do I cancel my booking?")
                    .statusCode(200)
                    .extract()
                    .path("reply.text");
            assertThat(reply).isEqualTo("You said: How do I cancel my booking?");
            for (Future<Integer> status : hostile) {
                // A runaway scan takes minutes to hours per message; a bounded one takes milliseconds.
                assertThat(status.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            customers.shutdownNow();
        }
    }
}
