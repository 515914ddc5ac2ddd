package io.switchboard.evaluation;

import static io.switchboard.testing.AdminClient.as;
import static io.switchboard.testing.TestTenants.article;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.knowledge.ArticleDefinition;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.platform.ScopedConnections;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A tenant replays its own past conversations against candidate models before switching: the
 * candidates answer in the background, are scored on support outcomes against what actually
 * happened, and rank as their known behaviour says they should.
 */
@QuarkusTest
class EvaluationTest {

    private static final String CONVERSATION = "/api/v1/tenants/{tenant}/conversations/{id}";
    private static final String EVALUATIONS = "/api/v1/tenants/{tenant}/evaluations";
    private static final ArticleDefinition CANCELLING = article(
            "cancelling",
            "Cancelling a booking",
            "## How to cancel\nOpen Trips, choose the booking and press Cancel. Guests get a full refund up to 48 hours before check-in.");
    private static final ArticleDefinition PETS = article(
            "pets",
            "Travelling with pets",
            "## Pets\nDogs and cats are welcome in homes marked pet-friendly. Tell the host how many animals come along.");
    /** Customer messages in each tenant's history below: what a month's cost is projected over. */
    private static final int CUSTOMER_MESSAGES = 4;

    @Inject
    TestTenants tenants;

    @Inject
    ScopedConnections connections;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @Test
    void candidatesRankByHowTheyWouldHaveHandledTheTenantsOwnConversations() {
        TenantSettings tenant = tenantWithHistory();
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");

        // echo repeats the customer (never grounded), quoting cites the passage it was given, and the
        // built-in retrieval answerer is what actually answered these customers.
        // A judge model grades each answer against the actual reply: "grader" gives 5 to the same reply, 2 to another.
        ModelRef judge = new ModelRef("stub", "grader");
        String echo = finished(admin, tenant, start(admin, tenant, new ModelRef("stub", "echo"), judge));
        String quoting = finished(admin, tenant, start(admin, tenant, new ModelRef("stub", "quoting"), null));
        String retrieval = finished(admin, tenant, start(admin, tenant, new ModelRef("builtin", "retrieval"), judge));

        JsonPath echoed = as(admin)
                .get(EVALUATIONS + "/{id}", tenant.slug(), echo)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(echoed.getInt("progress.totalTurns")).isEqualTo(CUSTOMER_MESSAGES);
        assertThat(echoed.getInt("summary.decidedByRules"))
                .as("asking for a person is a rule, whatever the model")
                .isEqualTo(1);
        assertThat(echoed.getDouble("summary.groundedRate")).isZero();
        assertThat(echoed.getInt("summary.missedEscalations"))
                .as("it answered the question nobody could answer")
                .isEqualTo(1);
        assertThat(echoed.getDouble("summary.escalationAccuracy")).isEqualTo(0.6667);
        assertThat(echoed.getDouble("summary.judgeScore")).isEqualTo(2.0);

        List<Map<String, Object>> turns = as(admin)
                .get(EVALUATIONS + "/{id}/turns", tenant.slug(), echo)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        BigDecimal cost = turns.stream()
                .filter(turn -> turn.get("costUsd") != null)
                .map(turn -> new BigDecimal(turn.get("costUsd").toString()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(cost).isPositive();
        assertThat(new BigDecimal(echoed.getString("summary.costUsd"))).isEqualByComparingTo(cost);
        assertThat(new BigDecimal(echoed.getString("summary.projectedMonthlyCostUsd")))
                .as("cost per replayed turn × a month's customer messages")
                .isEqualByComparingTo(cost.multiply(BigDecimal.valueOf(CUSTOMER_MESSAGES))
                        .divide(BigDecimal.valueOf(3), 6, RoundingMode.HALF_UP));
        assertThat(turns)
                .filteredOn(turn -> "rule".equals(turn.get("outcome")))
                .singleElement()
                .satisfies(turn -> assertThat(turn)
                        .containsEntry("escalationReason", "customer_request")
                        .doesNotContainKey("reply"));

        JsonPath byRetrieval = as(admin)
                .get(EVALUATIONS + "/{id}", tenant.slug(), retrieval)
                .then()
                .extract()
                .jsonPath();
        assertThat(byRetrieval.getDouble("summary.escalationAccuracy")).isEqualTo(1.0);
        assertThat(byRetrieval.getDouble("summary.groundedRate")).isEqualTo(1.0);
        assertThat(byRetrieval.getDouble("summary.agreement"))
                .as("the same answers the customers got")
                .isGreaterThan(0.99);
        assertThat(byRetrieval.getDouble("summary.judgeScore")).isEqualTo(5.0);

        as(admin)
                .queryParam("ids", String.join(",", echo, quoting, retrieval))
                .get(EVALUATIONS + "/compare", tenant.slug())
                .then()
                .statusCode(200)
                .body("sameSample", equalTo(true))
                .body("ranking.evaluation.candidate.model", equalTo(List.of("retrieval", "quoting", "echo")))
                .body("ranking.rank", equalTo(List.of(1, 2, 3)));
        as(admin).get(EVALUATIONS, tenant.slug()).then().statusCode(200).body("size()", equalTo(3));
        as(admin).post(EVALUATIONS + "/{id}/cancel", tenant.slug(), echo).then().statusCode(409);
    }

    @Test
    void anEvaluationWhoseReplicaStoppedReportingIsResumedAndFinished() throws Exception {
        TenantSettings tenant = tenantWithHistory();
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String id = finished(admin, tenant, start(admin, tenant, new ModelRef("stub", "echo")));
        double score = as(admin)
                .get(EVALUATIONS + "/{id}", tenant.slug(), id)
                .then()
                .extract()
                .jsonPath()
                .getDouble("summary.score");

        // As a replica that died mid-run leaves it: running, one turn stored, its heartbeat a while ago.
        try (Connection connection = connections.forTenant(tenant.id());
                Statement sql = connection.createStatement()) {
            sql.executeUpdate("delete from evaluation_turn where evaluation_id = '" + id
                    + "' and message_id <> (select min(message_id::text)::uuid"
                    + " from evaluation_turn where evaluation_id = '" + id + "')");
            sql.executeUpdate(
                    "update evaluation set state = 'running', summary = null, finished_at = null, done_turns = 1,"
                            + " heartbeat_at = now() - interval '10 minutes' where id = '" + id + "'");
        }

        finished(admin, tenant, id);
        JsonPath resumed = as(admin)
                .get(EVALUATIONS + "/{id}", tenant.slug(), id)
                .then()
                .extract()
                .jsonPath();
        assertThat(resumed.getInt("progress.doneTurns")).isEqualTo(CUSTOMER_MESSAGES);
        assertThat(resumed.getDouble("summary.score")).isEqualTo(score);
        assertThat(as(admin)
                        .get(EVALUATIONS + "/{id}/turns", tenant.slug(), id)
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("$"))
                .hasSize(CUSTOMER_MESSAGES);
    }

    @Test
    void aSpentBudgetStopsTheReplayWithWhatWasReplayedSoFar() {
        TenantSettings tenant = tenantWithHistory();
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        as(admin)
                .body(Map.of(
                        "primary",
                        Map.of("endpoint", "builtin", "model", "retrieval"),
                        "budget",
                        Map.of("monthlyUsd", 0.00001, "onExceeded", "handoff")))
                .put("/api/v1/tenants/{tenant}/model-policy", tenant.slug())
                .then()
                .statusCode(200);

        String id = start(admin, tenant, new ModelRef("stub", "echo"));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> "failed"
                        .equals(as(admin)
                                .get(EVALUATIONS + "/{id}", tenant.slug(), id)
                                .then()
                                .extract()
                                .path("state")));
        JsonPath stopped = as(admin)
                .get(EVALUATIONS + "/{id}", tenant.slug(), id)
                .then()
                .extract()
                .jsonPath();
        assertThat(stopped.getString("problem")).contains("monthly budget is spent");
        assertThat(stopped.getInt("progress.doneTurns")).isLessThan(stopped.getInt("progress.totalTurns"));
        assertThat(stopped.getInt("summary.turns")).isEqualTo(stopped.getInt("progress.doneTurns"));
    }

    @Test
    void badRequestsAreRefusedFieldByFieldAndAnotherTenantSeesNothing() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        TenantSettings other = tenants.create(TestTenants.retrieval());
        String otherAdmin = AdminClient.newKey(platformKey, other.slug(), "tenant-admin");

        as(admin)
                .body(Map.of("candidate", Map.of("endpoint", "nowhere", "model", "x")))
                .post(EVALUATIONS, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("candidate"));
        as(admin)
                .body(Map.of("candidate", Map.of("endpoint", "stub", "model", "echo"), "sample", Map.of("size", 0)))
                .post(EVALUATIONS, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("sample.size"));
        as(admin)
                .body(Map.of(
                        "candidate",
                        Map.of("endpoint", "stub", "model", "echo"),
                        "sample",
                        Map.of("from", "2026-11-20", "to", "2026-11-01")))
                .post(EVALUATIONS, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("sample.from"));
        as(admin)
                .body(Map.of(
                        "candidate",
                        Map.of("endpoint", "stub", "model", "echo"),
                        "judge",
                        Map.of("endpoint", "stub", "model", "ghost")))
                .post(EVALUATIONS, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("judge"));

        // A judge reads the tenant's transcripts: a tenant that keeps them on self-hosted models cannot name a hosted
        // one.
        ModelRef hostedJudge = new ModelRef("hosted-stub", "echo");
        start(admin, tenant, new ModelRef("stub", "echo"), hostedJudge);
        TenantSettings sovereign = tenants.create(new ModelPolicy(
                new ModelRef("stub", "echo"),
                List.of(),
                null,
                ModelPolicy.Residency.SELF_HOSTED,
                ModelPolicy.OpenConversations.KEEP));
        as(AdminClient.newKey(platformKey, sovereign.slug(), "tenant-admin"))
                .body(Map.of(
                        "candidate",
                        Map.of("endpoint", "stub", "model", "echo"),
                        "judge",
                        Map.of("endpoint", "hosted-stub", "model", "echo")))
                .post(EVALUATIONS, sovereign.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("judge"));

        String id = start(admin, tenant, new ModelRef("stub", "echo"));
        as(otherAdmin).get(EVALUATIONS + "/{id}", other.slug(), id).then().statusCode(404);
        as(otherAdmin)
                .post(EVALUATIONS + "/{id}/cancel", other.slug(), id)
                .then()
                .statusCode(404);
        as(otherAdmin).get(EVALUATIONS + "/{id}", tenant.slug(), id).then().statusCode(404);
        as(otherAdmin).get(EVALUATIONS, other.slug()).then().statusCode(200).body("size()", equalTo(0));
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        as(agent).get(EVALUATIONS, tenant.slug()).then().statusCode(403);
    }

    /**
     * A tenant answered by the retrieval answerer, with four past conversations: two the bot
     * resolved, one it could not answer (a person did), one where the customer asked for a person.
     */
    private TenantSettings tenantWithHistory() {
        TenantSettings tenant = tenants.withArticles(TestTenants.retrieval(), CANCELLING, PETS);
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        for (String question : List.of("How do I cancel my booking?", "Can I bring my dog along to the home?")) {
            WidgetClient.Conversation resolved = WidgetClient.start(tenant.slug());
            WidgetClient.send(resolved, question).statusCode(200).body("state", equalTo("BOT"));
            as(agent)
                    .post(CONVERSATION + "/close", tenant.slug(), resolved.id())
                    .then()
                    .statusCode(200);
        }
        WidgetClient.Conversation unanswerable = WidgetClient.start(tenant.slug());
        WidgetClient.send(unanswerable, "What's the weather on Mars today?")
                .statusCode(200)
                .body("state", equalTo("PENDING_HUMAN"));
        as(agent)
                .post(CONVERSATION + "/assign", tenant.slug(), unanswerable.id())
                .then()
                .statusCode(200);
        as(agent)
                .body(Map.of("text", "We only help with bookings here, sorry!"))
                .post(CONVERSATION + "/messages", tenant.slug(), unanswerable.id())
                .then()
                .statusCode(200);
        as(agent)
                .post(CONVERSATION + "/close", tenant.slug(), unanswerable.id())
                .then()
                .statusCode(200);
        WidgetClient.Conversation person = WidgetClient.start(tenant.slug());
        WidgetClient.send(person, "I want to talk to a person").statusCode(200).body("state", equalTo("PENDING_HUMAN"));
        return tenant;
    }

    private static String start(String admin, TenantSettings tenant, ModelRef candidate) {
        return start(admin, tenant, candidate, null);
    }

    private static String start(String admin, TenantSettings tenant, ModelRef candidate, ModelRef judge) {
        Map<String, Object> body = new java.util.HashMap<>(
                Map.of("candidate", Map.of("endpoint", candidate.endpoint(), "model", candidate.model())));
        if (judge != null) {
            body.put("judge", Map.of("endpoint", judge.endpoint(), "model", judge.model()));
        }
        return as(admin)
                .body(body)
                .post(EVALUATIONS, tenant.slug())
                .then()
                .statusCode(202)
                .body("state", equalTo("queued"))
                .extract()
                .path("id");
    }

    private static String finished(String admin, TenantSettings tenant, String id) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "done"
                        .equals(as(admin)
                                .get(EVALUATIONS + "/{id}", tenant.slug(), id)
                                .then()
                                .statusCode(200)
                                .extract()
                                .path("state")));
        return id;
    }
}
