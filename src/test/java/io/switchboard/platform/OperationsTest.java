package io.switchboard.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.Management;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OperationsTest {

    @Inject
    TestTenants tenants;

    @Test
    void healthAndMetricsAreServedOnTheManagementPortOnly() {
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(404);
        Management.given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void healthIsUpAndReadinessChecksTheDatabase() {
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        Management.given()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"));
    }

    @Test
    void metricsCountTurnsAndTimeThemPerTenant() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.send(WidgetClient.start(tenant.slug()), "hello").statusCode(200);

        String metrics = Management.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(metrics)
                .containsPattern("switchboard_turns_total\\{[^}]*outcome=\"answered\"[^}]*tenant=\"" + tenant.slug()
                        + "\"[^}]*} 1\\.0")
                .containsPattern("switchboard_turn_duration_seconds_bucket\\{[^}]*tenant=\"" + tenant.slug() + "\"")
                .containsPattern(
                        "switchboard_model_ttft_seconds_count\\{[^}]*tenant=\"" + tenant.slug() + "\"[^}]*} 1\\.0");
    }

    @Test
    void logsCarryTenantAndConversationButNeverTheMessageText() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        String secret = "my card is 4111-" + UUID.randomUUID();
        List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                ExtLogRecord copy = ExtLogRecord.wrap(record);
                copy.copyAll(); // the MDC is read after the logging thread has moved on
                records.add(copy);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            WidgetClient.send(conversation, secret).statusCode(200);
        } finally {
            root.removeHandler(capture);
        }

        assertThat(records).anySatisfy(record -> {
            assertThat(record.getMdc("tenant")).isEqualTo(tenant.slug());
            assertThat(record.getMdc("conversation")).isEqualTo(conversation.id());
        });
        assertThat(records)
                .noneSatisfy(record -> assertThat(record.getFormattedMessage()).contains(secret));
    }
}
