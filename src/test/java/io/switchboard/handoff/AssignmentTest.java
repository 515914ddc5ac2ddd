package io.switchboard.handoff;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Round-robin assignment among the agents who have the inbox open, and what the customer hears when nobody does. */
@QuarkusTest
class AssignmentTest {

    private static final String PASSWORD = AdminClient.MEMBER_PASSWORD;

    @Inject
    TestTenants tenants;

    @Inject
    AgentPresence presence;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @TestHTTPResource("/")
    URI platform;

    @Test
    void waitingConversationsGoToTheOnlineAgentsInTurn() throws Exception {
        TenantSettings tenant = tenants.withEscalation(new EscalationRules(
                List.of(TestTenants.KEYWORD), null, null, EscalationRules.Assignment.ROUND_ROBIN, true, null));
        String adminKey = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String alex = newAgent(adminKey, tenant);
        String blake = newAgent(adminKey, tenant);

        // Nobody has the inbox open: the conversation waits, and the customer is told and offered to leave an email.
        WidgetClient.Conversation early = WidgetClient.start(tenant.slug());
        WidgetClient.send(early, "I want a " + TestTenants.KEYWORD)
                .statusCode(200)
                .body("state", equalTo("PENDING_HUMAN"))
                .body("away", equalTo(true))
                .body("awayUntil", nullValue())
                .body("reply.text", containsString("Nobody from our team is online"));
        assertThat(assignee(adminKey, tenant, early)).isNull();

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> alexInbox = openInbox(http, tenant, alex);
        HttpResponse<Stream<String>> blakeInbox = openInbox(http, tenant, blake);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> presence.online(tenant.id()).containsAll(List.of(alex, blake)));

        List<String> assigned = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
            WidgetClient.send(conversation, "this is a " + TestTenants.KEYWORD)
                    .statusCode(200)
                    .body("away", equalTo(false));
            await().atMost(Duration.ofSeconds(10)).until(() -> assignee(adminKey, tenant, conversation) != null);
            assigned.add(assignee(adminKey, tenant, conversation));
        }
        assertThat(assigned).containsExactlyInAnyOrder(alex, alex, blake, blake);
        assertThat(assigned.get(0)).isNotEqualTo(assigned.get(1));

        blakeInbox.body().close();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> presence.online(tenant.id()).equals(List.of(alex)));
        WidgetClient.Conversation later = WidgetClient.start(tenant.slug());
        WidgetClient.send(later, "another " + TestTenants.KEYWORD).statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> alex.equals(assignee(adminKey, tenant, later)));
        alexInbox.body().close();
    }

    private HttpResponse<Stream<String>> openInbox(HttpClient http, TenantSettings tenant, String agent)
            throws Exception {
        String session = AdminClient.consoleSession(agent, PASSWORD);
        HttpRequest request = HttpRequest.newBuilder(platform.resolve("/console/t/" + tenant.slug() + "/inbox/events"))
                .header("Cookie", session)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        return response;
    }

    private static String assignee(String adminKey, TenantSettings tenant, WidgetClient.Conversation conversation) {
        return as(adminKey)
                .get("/api/v1/tenants/{tenant}/conversations/{id}", tenant.slug(), conversation.id())
                .then()
                .statusCode(200)
                .extract()
                .path("conversation.assignee");
    }

    private String newAgent(String adminKey, TenantSettings tenant) {
        return AdminClient.newMember(adminKey, tenant.slug(), "agent");
    }
}
