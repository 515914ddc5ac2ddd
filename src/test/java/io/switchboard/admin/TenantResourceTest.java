package io.switchboard.admin;

import static io.restassured.RestAssured.given;
import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.platform.ScopedConnections;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Tenants through the admin API: created by the platform admin with a first admin, changed and deleted by their own admin. */
@QuarkusTest
class TenantResourceTest {

    @Inject
    ScopedConnections connections;

    @Inject
    StoredMessages stored;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @Test
    void aPlatformAdminCreatesATenantWhoseFirstAdminRunsItAndCanDeleteIt() throws Exception {
        String slug = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        var created = as(platformKey)
                .body(Map.of(
                        "slug",
                        slug,
                        "name",
                        "Acme Stays",
                        "allowedOrigins",
                        List.of("https://acme.example"),
                        "assistant",
                        Map.of("persona", "You are Ada, Acme's helper.", "greeting", "Hi, I'm Ada."),
                        "firstAdmin",
                        Map.of("username", "ada-" + slug, "email", "ada@acme.example")))
                .post("/api/v1/tenants")
                .then()
                .statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/tenants/" + slug))
                .body("tenant.slug", equalTo(slug))
                .body("tenant.assistant.greeting", equalTo("Hi, I'm Ada."))
                .body("firstAdmin.username", equalTo("ada-" + slug))
                .extract();
        String password = created.path("firstAdmin.temporaryPassword");
        assertThat(password).hasSizeGreaterThanOrEqualTo(12);

        // The first admin logs in with it, changes the tenant, and the widget greets with the change.
        java.util.function.Supplier<io.restassured.specification.RequestSpecification> ada =
                () -> given().auth().preemptive().basic("ada-" + slug, password).contentType("application/json");
        ada.get().get("/api/v1/tenants/{tenant}", slug).then().statusCode(200).body("name", equalTo("Acme Stays"));
        ada.get()
                .body(Map.of("name", "Acme Holiday Stays", "assistant", Map.of("greeting", "Welcome to Acme!")))
                .patch("/api/v1/tenants/{tenant}", slug)
                .then()
                .statusCode(200)
                .body("name", equalTo("Acme Holiday Stays"))
                .body("assistant.persona", equalTo("You are Ada, Acme's helper."))
                .body("configVersion", equalTo(2));
        given().header("Origin", "https://acme.example")
                .get("/api/v1/widget/{tenant}/setup", slug)
                .then()
                .statusCode(200)
                .body("greeting", equalTo("Welcome to Acme!"));
        as(platformKey).get("/api/v1/tenants").then().statusCode(200).body("slug", hasItem(slug));

        // Escalation rules are the tenant's to change too, and apply to the next message.
        ada.get()
                .body(Map.of("escalation", Map.of("unhelpfulAnswers", 0)))
                .patch("/api/v1/tenants/{tenant}", slug)
                .then()
                .statusCode(422)
                .body("errors[0].field", containsString("unhelpfulAnswers"));
        ada.get()
                .body(Map.of("escalation", Map.of("keywords", List.of("double charged"), "assignment", "round-robin")))
                .patch("/api/v1/tenants/{tenant}", slug)
                .then()
                .statusCode(200)
                .body("escalation.keywords", equalTo(List.of("double charged")))
                .body("escalation.assignment", equalTo("round-robin"));
        WidgetClient.send(WidgetClient.start(slug), "I was double charged for my stay")
                .statusCode(200)
                .body("state", equalTo("PENDING_HUMAN"));

        WidgetClient.send(WidgetClient.start(slug), "Hello there, anyone?").statusCode(200);
        UUID id = UUID.fromString(created.path("tenant.id"));
        assertThat(rowsOf(id)).isPositive();
        ada.get().delete("/api/v1/tenants/{tenant}", slug).then().statusCode(204);
        as(platformKey).get("/api/v1/tenants/{tenant}", slug).then().statusCode(404);
        given().contentType("application/json")
                .body("{}")
                .post("/api/v1/widget/{tenant}/conversations", slug)
                .then()
                .statusCode(404);
        assertThat(rowsOf(id)).as("rows left of the deleted tenant").isZero();
        // Every replica hears of it (and drops its copies): the event outlives the tenant's own outbox rows.
        assertThat(stored.eventsOf(id.toString()))
                .extracting(event -> event.get("type"))
                .contains("switchboard.tenant.deleted");
        as(platformKey)
                .get("/api/v1/audit-log?limit=200")
                .then()
                .statusCode(200)
                .body("items.findAll { it.tenantId == '" + id + "' }.action", hasItem("tenant.deleted"));
    }

    @Test
    void badOrDuplicateTenantsAreRefusedAndOnlyThePlatformAdminCreates() {
        String slug = "dup-" + UUID.randomUUID().toString().substring(0, 8);
        as(platformKey)
                .body(Map.of("slug", slug, "name", "First"))
                .post("/api/v1/tenants")
                .then()
                .statusCode(201);
        as(platformKey)
                .body(Map.of("slug", slug, "name", "Second"))
                .post("/api/v1/tenants")
                .then()
                .statusCode(409);
        as(platformKey)
                .body(Map.of("slug", "Not A Slug", "name", "x"))
                .post("/api/v1/tenants")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("slug"));
        as(platformKey)
                .body(Map.of(
                        "slug",
                        "ok-" + UUID.randomUUID().toString().substring(0, 8),
                        "name",
                        "x",
                        "allowedOrigins",
                        List.of("https://shop.example/path")))
                .post("/api/v1/tenants")
                .then()
                .statusCode(422);
        as(platformKey)
                .body(Map.of(
                        "slug",
                        "nomodel-" + UUID.randomUUID().toString().substring(0, 8),
                        "name",
                        "x",
                        "model",
                        Map.of("primary", Map.of("endpoint", "nowhere", "model", "m"))))
                .post("/api/v1/tenants")
                .then()
                .statusCode(422)
                .body("errors[0].field", org.hamcrest.Matchers.startsWith("model."));
        // A first admin whose username is taken leaves no tenant behind.
        String orphan = "orphan-" + UUID.randomUUID().toString().substring(0, 8);
        as(platformKey)
                .body(Map.of(
                        "slug", orphan, "name", "x", "firstAdmin", Map.of("username", "admin", "email", "a@b.example")))
                .post("/api/v1/tenants")
                .then()
                .statusCode(409);
        as(platformKey).get("/api/v1/tenants/{tenant}", orphan).then().statusCode(404);

        String tenantAdmin = AdminClient.newKey(platformKey, slug, "tenant-admin");
        as(tenantAdmin)
                .body(Map.of("slug", "mine-" + UUID.randomUUID().toString().substring(0, 8), "name", "x"))
                .post("/api/v1/tenants")
                .then()
                .statusCode(403);
        as(tenantAdmin).get("/api/v1/tenants").then().statusCode(403);
        as(platformKey).get("/api/v1/tenants").then().body("slug", not(hasItem(orphan)));
    }

    private long rowsOf(UUID tenantId) throws Exception {
        long rows = 0;
        try (Connection connection = connections.forPlatform("test inspection")) {
            for (String table :
                    List.of("conversation", "message", "contact", "api_key", "account", "model_policy_version")) {
                try (ResultSet count = connection
                        .createStatement()
                        .executeQuery("select count(*) from " + table + " where tenant_id = '" + tenantId + "'")) {
                    count.next();
                    rows += count.getLong(1);
                }
            }
        }
        return rows;
    }
}
