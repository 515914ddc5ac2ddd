package io.switchboard.widget;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import io.switchboard.testing.WidgetSocketClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A conversation token opens its own conversation and nothing else; other tenants' data is "not found". */
@QuarkusTest
class WidgetAccessTest {

    private static final String NOT_FOUND = "urn:switchboard:problem:not-found";

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @TestHTTPResource("/")
    URI baseUri;

    @Test
    void tokenOfTenantACannotReadTenantBsConversation() {
        TenantSettings a = tenants.withStubModel("echo");
        TenantSettings b = tenants.withStubModel("echo");
        WidgetClient.Conversation ofA = WidgetClient.start(a.slug());
        WidgetClient.Conversation ofB = WidgetClient.start(b.slug());
        WidgetClient.send(ofB, "B's private question").statusCode(200);

        // A's token on B's conversation, through B's path and through A's path.
        WidgetClient.read(new WidgetClient.Conversation(b.slug(), ofB.id(), ofA.token()))
                .statusCode(404)
                .body("type", equalTo(NOT_FOUND));
        WidgetClient.read(new WidgetClient.Conversation(a.slug(), ofB.id(), ofA.token()))
                .statusCode(404)
                .body("type", equalTo(NOT_FOUND));
        // B's own token under A's path: the tenant in the path does not own the conversation.
        WidgetClient.read(new WidgetClient.Conversation(a.slug(), ofB.id(), ofB.token()))
                .statusCode(404)
                .body("type", equalTo(NOT_FOUND));
    }

    @Test
    void tokenOfTenantACannotPostIntoTenantBsConversation() {
        TenantSettings a = tenants.withStubModel("echo");
        TenantSettings b = tenants.withStubModel("echo");
        WidgetClient.Conversation ofA = WidgetClient.start(a.slug());
        WidgetClient.Conversation ofB = WidgetClient.start(b.slug());

        WidgetClient.send(new WidgetClient.Conversation(b.slug(), ofB.id(), ofA.token()), "injected")
                .statusCode(404);
        WidgetClient.send(new WidgetClient.Conversation(a.slug(), ofB.id(), ofB.token()), "injected")
                .statusCode(404);

        assertThat(stored.of(ofB.id())).isEmpty();
    }

    @Test
    void tokenOpensOnlyItsOwnConversationWithinATenant() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation first = WidgetClient.start(tenant.slug());
        WidgetClient.Conversation second = WidgetClient.start(tenant.slug());

        WidgetClient.read(new WidgetClient.Conversation(tenant.slug(), second.id(), first.token()))
                .statusCode(404);
        WidgetClient.send(new WidgetClient.Conversation(tenant.slug(), second.id(), first.token()), "hi")
                .statusCode(404);
        assertThat(stored.of(second.id())).isEmpty();
    }

    @Test
    void unknownTenantsAndConversationsAreNotFound() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        given().contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/widget/no-such-tenant/conversations")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo(NOT_FOUND));
        WidgetClient.read(new WidgetClient.Conversation(
                        tenant.slug(), UUID.randomUUID().toString(), conversation.token()))
                .statusCode(404)
                .body("type", equalTo(NOT_FOUND));
        WidgetClient.read(new WidgetClient.Conversation(tenant.slug(), conversation.id(), "sbc_forged"))
                .statusCode(404)
                .body("type", equalTo(NOT_FOUND));
    }

    @Test
    void aMissingTokenIsUnauthorized() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        given().contentType(ContentType.JSON)
                .body(Map.of("text", "hi"))
                .when()
                .post("/api/v1/widget/{tenant}/conversations/{id}/messages", tenant.slug(), conversation.id())
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:switchboard:problem:unauthorized"));
        assertThat(stored.of(conversation.id())).isEmpty();
    }

    @Test
    void originsOutsideTheTenantsAllowListAreRefused() {
        TenantSettings tenant = tenants.withStubModel("echo");

        given().contentType(ContentType.JSON)
                .header("Origin", "https://evil.example")
                .body("{}")
                .when()
                .post("/api/v1/widget/{tenant}/conversations", tenant.slug())
                .then()
                .statusCode(403)
                .body("type", equalTo("urn:switchboard:problem:origin-not-allowed"));
        given().contentType(ContentType.JSON)
                .header("Origin", "https://shop.example")
                .body("{}")
                .when()
                .post("/api/v1/widget/{tenant}/conversations", tenant.slug())
                .then()
                .statusCode(201);
    }

    @Test
    void webSocketWithAnotherTenantsTokenIsRefusedAndClosed() {
        TenantSettings a = tenants.withStubModel("echo");
        TenantSettings b = tenants.withStubModel("echo");
        WidgetClient.Conversation ofB = WidgetClient.start(b.slug());

        try (WidgetSocketClient socket = WidgetSocketClient.connect(baseUri, a.slug(), ofB.token())) {
            assertThat(socket.next().path("problem").path("type").asText()).isEqualTo(NOT_FOUND);
            assertThat(socket.closeCode()).isEqualTo(1008);
        }
        try (WidgetSocketClient socket = WidgetSocketClient.connect(baseUri, b.slug(), "sbc_forged")) {
            assertThat(socket.next().path("type").asText()).isEqualTo("error");
            assertThat(socket.closeCode()).isEqualTo(1008);
        }
        assertThat(stored.of(ofB.id())).isEmpty();
    }

    @Test
    void webSocketFromADisallowedOriginIsRefused() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        try (WidgetSocketClient socket =
                WidgetSocketClient.connect(baseUri, tenant.slug(), conversation.token(), "https://evil.example")) {
            assertThat(socket.next().path("problem").path("type").asText())
                    .isEqualTo("urn:switchboard:problem:origin-not-allowed");
            assertThat(socket.closeCode()).isEqualTo(1008);
        }
    }
}
