package io.switchboard.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.switchboard.testing.PackagedJar;
import io.switchboard.testing.PackagedReplicas;
import io.switchboard.testing.WidgetSocketClient;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A replica stops in the middle of a customer's answer, as in a rolling update (SIGTERM) or a
 * crash (SIGKILL); the customer carries on with the replica that stays, and no message that was
 * stored is lost. The model streams one word every 800 ms, so the answer is still being written
 * when the signal arrives, right after its first words reached the customer.
 */
class ReplicaShutdownIT {

    private static final String TENANT = "restarts";
    /** Long enough that the answer streams to the customer before it is complete (the output guard holds back 64 characters). */
    private static final String QUESTION =
            "where is the refund for my cancelled booking of the flat in Lisbon last week";

    private static final String ANSWER = "You said: " + QUESTION;

    private static PackagedReplicas cluster;
    private static PackagedJar staying;

    @BeforeAll
    static void startTheReplicaThatStays() throws IOException, InterruptedException {
        cluster = PackagedReplicas.forTenant(TENANT, "slow");
        staying = cluster.start("staying");
    }

    @AfterAll
    static void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void onSigtermTheAnswerInProgressIsFinishedAndTheWidgetIsToldToReconnect() throws Exception {
        PackagedJar leaving = cluster.start("sigterm");
        JsonPath conversation = startConversation(leaving);
        try (WidgetSocketClient customer = askAndAwaitFirstWords(leaving, conversation)) {
            leaving.process().destroy();

            List<JsonNode> rest = customer.until("reply");
            assertThat(rest.getLast().at("/message/text").asText())
                    .as("the whole answer, not a cut one")
                    .isEqualTo(ANSWER);
            assertThat(customer.next().path("type").asText()).isEqualTo("state");
            assertThat(customer.closeCode()).as("service restart: reconnect").isEqualTo(1012);
        }
        assertThat(leaving.process().waitFor(60, TimeUnit.SECONDS))
                .as("the replica stops within its grace period")
                .isTrue();
        assertThat(Files.readString(PackagedReplicas.log("sigterm"))).contains("widgets asked to reconnect elsewhere");

        String token = conversation.getString("token");
        try (WidgetSocketClient customer = WidgetSocketClient.connect(staying.uri(), TENANT, token)) {
            customer.sendMessage("thanks");
            assertThat(customer.until("reply").getLast().at("/message/text").asText())
                    .isEqualTo("You said: thanks");
        }
        assertThat(transcript(conversation))
                .containsExactly("customer:" + QUESTION, "bot:" + ANSWER, "customer:thanks", "bot:You said: thanks");
    }

    @Test
    void onSigkillTheStoredQuestionSurvivesAndTheConversationGoesOnElsewhere() throws Exception {
        PackagedJar crashing = cluster.start("sigkill");
        JsonPath conversation = startConversation(crashing);
        try (WidgetSocketClient customer = askAndAwaitFirstWords(crashing, conversation)) {
            crashing.process().destroyForcibly();

            assertThat(customer.endCode()).as("the connection is simply gone").isNotEqualTo(1012);
        }
        assertThat(crashing.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(transcript(conversation))
                .as("the question was stored before the model was asked; half an answer never is")
                .containsExactly("customer:" + QUESTION);
        try (WidgetSocketClient customer =
                WidgetSocketClient.connect(staying.uri(), TENANT, conversation.getString("token"))) {
            customer.sendMessage(QUESTION);
            assertThat(customer.until("reply").getLast().at("/message/text").asText())
                    .isEqualTo(ANSWER);
        }
        assertThat(transcript(conversation))
                .containsExactly("customer:" + QUESTION, "customer:" + QUESTION, "bot:" + ANSWER);
    }

    /** Connects the customer to the replica and asks the question; returns once the first words of the answer arrived. */
    private static WidgetSocketClient askAndAwaitFirstWords(PackagedJar replica, JsonPath conversation) {
        WidgetSocketClient customer =
                WidgetSocketClient.connect(replica.uri(), TENANT, conversation.getString("token"));
        customer.sendMessage(QUESTION);
        assertThat(customer.next().path("type").asText()).isEqualTo("token");
        return customer;
    }

    private static JsonPath startConversation(PackagedJar replica) {
        return given().baseUri(replica.uri().toString())
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/v1/widget/{tenant}/conversations", TENANT)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    /** The conversation as the replica that stays has it stored, as "role:text". */
    private static List<String> transcript(JsonPath conversation) {
        JsonPath stored = given().baseUri(staying.uri().toString())
                .header("Authorization", "Bearer " + conversation.getString("token"))
                .get("/api/v1/widget/{tenant}/conversations/{id}", TENANT, conversation.getString("conversationId"))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> lines = new ArrayList<>();
        List<String> roles = stored.getList("messages.role");
        List<String> texts = stored.getList("messages.text");
        for (int i = 0; i < roles.size(); i++) {
            lines.add(roles.get(i) + ":" + texts.get(i));
        }
        return lines;
    }
}
