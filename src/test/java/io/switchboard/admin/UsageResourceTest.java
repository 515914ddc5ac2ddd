package io.switchboard.admin;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Every answer is metered; the usage report adds up to what is stored, to the last micro-dollar. */
@QuarkusTest
class UsageResourceTest {

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @Test
    void usageTotalsEqualTheSumOverStoredMessages() {
        TenantSettings tenant = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        WidgetClient.Conversation first = WidgetClient.start(tenant.slug());
        WidgetClient.send(first, "Where is my parcel?").statusCode(200);
        WidgetClient.send(first, "It was due on Monday").statusCode(200);
        WidgetClient.Conversation second = WidgetClient.start(tenant.slug());
        WidgetClient.send(second, "I want to talk to a human").statusCode(200);

        List<java.util.Map<String, Object>> answers = List.of(first.id(), second.id()).stream()
                .flatMap(id -> stored.of(id).stream())
                .filter(row -> "bot".equals(row.get("role")))
                .toList();
        assertThat(answers).hasSize(2);
        for (java.util.Map<String, Object> answer : answers) {
            // The stub reports 42 input tokens and one output token per word; echo costs $1.50 and $6.00 per million.
            BigDecimal expected = new BigDecimal("1.50")
                    .multiply(BigDecimal.valueOf((Integer) answer.get("input_tokens")))
                    .add(new BigDecimal("6.00").multiply(BigDecimal.valueOf((Integer) answer.get("output_tokens"))))
                    .divide(BigDecimal.valueOf(1_000_000), 8, RoundingMode.HALF_UP);
            assertThat((BigDecimal) answer.get("cost_usd"))
                    .isEqualByComparingTo(expected)
                    .isPositive();
        }
        List<BigDecimal> costs =
                answers.stream().map(row -> (BigDecimal) row.get("cost_usd")).toList();

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonPath usage = as(admin)
                .queryParam("from", today)
                .queryParam("to", today)
                .get("/api/v1/tenants/{tenant}/usage", tenant.slug())
                .then()
                .statusCode(200)
                .body("conversations", equalTo(2))
                .body("escalated", equalTo(1))
                .body("resolved", equalTo(1))
                .body("inputTokens", equalTo(84))
                .body("models[0].model", equalTo("echo"))
                .body("models[0].answers", equalTo(2))
                .extract()
                .jsonPath();
        BigDecimal total = costs.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(new BigDecimal(usage.getString("costUsd"))).isEqualByComparingTo(total);
        assertThat(new BigDecimal(usage.getString("costPerResolvedConversationUsd")))
                .isEqualByComparingTo(total);
        assertThat(usage.getBoolean("includesEstimatedTokens")).isFalse();
    }

    @Test
    void badPeriodsAreRefusedAndOtherTenantsSeeNothing() {
        TenantSettings tenant = tenants.withStubModel("echo");
        TenantSettings other = tenants.withStubModel("echo");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");

        as(admin)
                .queryParam("from", "yesterday")
                .get("/api/v1/tenants/{tenant}/usage", tenant.slug())
                .then()
                .statusCode(422);
        as(admin)
                .queryParam("from", "2026-11-10")
                .queryParam("to", "2026-11-01")
                .get("/api/v1/tenants/{tenant}/usage", tenant.slug())
                .then()
                .statusCode(422);
        as(admin).get("/api/v1/tenants/{tenant}/usage", other.slug()).then().statusCode(404);
        as(admin)
                .get("/api/v1/tenants/{tenant}/usage", tenant.slug())
                .then()
                .statusCode(200)
                .body("conversations", equalTo(0))
                .body("costUsd", equalTo(0));
    }
}
