package io.switchboard.admin;

import static io.restassured.RestAssured.given;
import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.switchboard.model.UsageMeter;
import io.switchboard.platform.ScopedConnections;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Insecure direct object references, swept over every {@code /api/v1} operation the OpenAPI
 * document lists (so a new endpoint is covered the day it exists): tenant B's credentials are
 * used on tenant A's resources, both under A's path and under B's own path with A's ids. Every
 * call must be refused with 404 or 403, and none of A's rows may change.
 */
@QuarkusTest
class IdorSweepTest {

    /** Bodies a valid request would carry, so refusals come from access checks, not validation. */
    private static final Map<String, Object> BODIES = Map.ofEntries(
            Map.entry("POST /api/v1/api-keys", Map.of("name", "stolen platform key")),
            Map.entry(
                    "POST /api/v1/tenants",
                    Map.of("slug", "stolen-" + UUID.randomUUID().toString().substring(0, 8), "name", "Stolen")),
            Map.entry("PATCH /api/v1/tenants/{tenant}", Map.of("name", "Renamed by another tenant")),
            Map.entry(
                    "POST /api/v1/tenants/{tenant}/api-keys",
                    Map.of("name", "stolen", "roles", List.of("tenant-admin"))),
            Map.entry(
                    "POST /api/v1/tenants/{tenant}/members",
                    Map.of(
                            "username",
                            "intruder-" + UUID.randomUUID(),
                            "password",
                            "a long enough password",
                            "roles",
                            List.of("tenant-admin"))),
            Map.entry("PATCH /api/v1/tenants/{tenant}/members/{id}", Map.of("roles", List.of("tenant-admin"))),
            Map.entry("POST /api/v1/tenants/{tenant}/webhooks", Map.of("url", "https://evil.example/hook")),
            Map.entry(
                    "POST /api/v1/tenants/{tenant}/channels",
                    Map.of("type", "api", "name", "Stolen", "callbackUrl", "http://127.0.0.1:9/stolen")),
            Map.entry("PATCH /api/v1/tenants/{tenant}/channels/{id}", Map.of("rotateToken", true)),
            Map.entry(
                    "POST /api/v1/channels/{channelId}/messages",
                    Map.of("contact", Map.of("id", "intruder"), "text", "hello from elsewhere")),
            Map.entry("POST /api/v1/tenants/{tenant}/actions", IdorSweepTest.action("http://127.0.0.1:9/stolen")),
            Map.entry("PUT /api/v1/tenants/{tenant}/actions/{id}", IdorSweepTest.action("http://127.0.0.1:9/moved")),
            Map.entry("POST /api/v1/tenants/{tenant}/actions/{id}/test", Map.of("arguments", Map.of())),
            Map.entry(
                    "POST /api/v1/tenants/{tenant}/insights/gaps/{id}/article",
                    Map.of("title", "Planted by another tenant", "body", "Send your card number to evil.example.")),
            Map.entry(
                    "POST /api/v1/tenants/{tenant}/actions/import",
                    Map.of(
                            "document",
                            "openapi: 3.0.3\ninfo: {title: x, version: '1'}\nservers: [{url: 'http://127.0.0.1:9'}]\n"
                                    + "paths: {/stolen: {post: {operationId: steal}}}\n",
                            "operationIds",
                            List.of("steal"))),
            Map.entry(
                    "POST /api/v1/tenants/{tenant}/knowledge/articles",
                    Map.of("title", "Injected", "body", "Send money to evil.")),
            Map.entry("POST /api/v1/tenants/{tenant}/knowledge/import", "Injected\nSend money to evil."),
            Map.entry(
                    "PUT /api/v1/tenants/{tenant}/knowledge/articles/{id}",
                    Map.of("title", "Overwritten", "body", "Gone.")),
            Map.entry(
                    "PUT /api/v1/tenants/{tenant}/model-policy",
                    Map.of("primary", Map.of("endpoint", "builtin", "model", "retrieval"))),
            Map.entry(
                    "POST /api/v1/tenants/{tenant}/evaluations",
                    Map.of("candidate", Map.of("endpoint", "builtin", "model", "retrieval"))),
            Map.entry(
                    "POST /api/v1/tenants/{tenant}/conversations/{id}/messages",
                    Map.of("text", "Agent reply from elsewhere")),
            Map.entry("POST /api/v1/tenants/{tenant}/conversations/{id}/notes", Map.of("text", "Note from elsewhere")),
            Map.entry(
                    "POST /api/v1/model-endpoints",
                    Map.of(
                            "id",
                            "evil",
                            "baseUrl",
                            "https://evil.example/v1",
                            "kind",
                            "hosted",
                            "models",
                            List.of(Map.of("name", "m", "inputUsdPerMTok", 0, "outputUsdPerMTok", 0)))),
            Map.entry(
                    "PUT /api/v1/model-endpoints/{id}",
                    Map.of(
                            "id",
                            "builtin",
                            "baseUrl",
                            "https://evil.example/v1",
                            "kind",
                            "hosted",
                            "models",
                            List.of(Map.of("name", "m", "inputUsdPerMTok", 0, "outputUsdPerMTok", 0)))),
            Map.entry("POST /api/v1/widget/{tenant}/conversations", Map.of()),
            Map.entry(
                    "POST /api/v1/widget/{tenant}/conversations/{id}/messages", Map.of("text", "hello from elsewhere")),
            Map.entry(
                    "POST /api/v1/widget/{tenant}/conversations/{id}/email", Map.of("email", "intruder@evil.example")),
            Map.entry(
                    "POST /api/v1/widget/{tenant}/conversations/{id}/messages/{messageId}/feedback",
                    Map.of("helpful", false)),
            Map.entry("POST /api/v1/widget/{tenant}/conversations/{id}/rating", Map.of("score", 1)));

    /** Columns written in the background (bookkeeping, not data a caller controls). */
    private static final Set<String> BACKGROUND_COLUMNS =
            Set.of("api_key.last_used_at", "account.last_login_at", "outbox_event.published_at");

    /**
     * Operations opened by a resource's own token (a channel's): another channel's token is refused
     * with 401, as any wrong token is.
     */
    private static final Set<String> OWN_TOKEN_OPERATIONS = Set.of("POST /api/v1/channels/{channelId}/messages");

    /** Operations open to anyone by design: a customer starts a conversation on any tenant's widget. */
    private static final Set<String> PUBLIC_OPERATIONS =
            Set.of("POST /api/v1/widget/{tenant}/conversations", "GET /api/v1/widget/{tenant}/setup");

    @Inject
    TestTenants tenants;

    @Inject
    ScopedConnections connections;

    @Inject
    UsageMeter usage;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    private record Victim(TenantSettings tenant, Map<String, String> ids) {}

    @Test
    void noOperationLetsOneTenantReadOrChangeAnothersResources() throws Exception {
        Victim a = populated();
        TenantSettings b = tenants.create(TestTenants.retrieval());
        String bAdmin = AdminClient.newKey(platformKey, b.slug(), "tenant-admin");
        WidgetClient.Conversation bCustomer = WidgetClient.start(b.slug());
        String bChannelToken = as(bAdmin)
                .body(Map.of("type", "api", "name", "B's app", "callbackUrl", "http://127.0.0.1:9/b"))
                .post("/api/v1/tenants/{tenant}/channels", b.slug())
                .then()
                .statusCode(201)
                .extract()
                .path("token");

        JsonNode paths = json.readTree(given().get("/q/openapi?format=json")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .get("paths");
        Map<String, String> before = fingerprint(a.tenant().id());
        List<String> refusedWrongly = new ArrayList<>();
        int calls = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            if (!path.getKey().startsWith("/api/v1/")) {
                continue;
            }
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase();
                String operation = method + " " + path.getKey();
                if (PUBLIC_OPERATIONS.contains(operation)
                        || !Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                boolean hasBody = path.getValue().get(method.toLowerCase()).has("requestBody");
                assertThat(!hasBody || BODIES.containsKey(operation))
                        .as("the sweep needs an example body for the new operation %s", operation)
                        .isTrue();
                boolean widget = path.getKey().startsWith("/api/v1/widget/");
                // Under B's own path only A's ids are foreign; an operation without one is B's to use.
                boolean namesAResource = path.getKey().replace("{tenant}", "").contains("{");
                for (String slug : namesAResource
                        ? List.of(a.tenant().slug(), b.slug())
                        : List.of(a.tenant().slug())) {
                    RequestSpecification request = widget
                            ? given().header("Authorization", "Bearer " + bCustomer.token())
                                    .contentType(ContentType.JSON)
                            : path.getKey().startsWith("/api/v1/channels/") ? as(bChannelToken) : as(bAdmin);
                    if (hasBody
                            && path.getValue()
                                    .get(method.toLowerCase())
                                    .path("requestBody")
                                    .path("content")
                                    .has("multipart/form-data")) {
                        // An upload: a small file stands for the body.
                        request.contentType("multipart/form-data")
                                .multiPart(
                                        "files",
                                        "note.txt",
                                        String.valueOf(BODIES.get(operation))
                                                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                        "text/plain");
                    } else if (hasBody) {
                        request.body(BODIES.get(operation));
                    }
                    String url = resolve(path.getKey(), slug, a.ids());
                    int status = request.request(method, url).statusCode();
                    calls++;
                    if (status != 404
                            && status != 403
                            && !(status == 401 && OWN_TOKEN_OPERATIONS.contains(operation))) {
                        refusedWrongly.add(operation + " as " + (slug.equals(b.slug()) ? "own tenant" : "other tenant")
                                + " → " + status);
                    }
                }
            }
        }
        assertThat(calls).as("operations swept").isGreaterThan(40);
        assertThat(refusedWrongly).isEmpty();
        assertThat(fingerprint(a.tenant().id())).isEqualTo(before);
    }

    /** Tenant A with one of everything an id in a path can name. */
    private Victim populated() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put(
                "api-keys",
                as(admin)
                        .body(Map.of("name", "kept", "roles", List.of("agent")))
                        .post("/api/v1/tenants/{tenant}/api-keys", tenant.slug())
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"));
        ids.put(
                "members",
                as(admin)
                        .body(Map.of(
                                "username",
                                "victim-" + UUID.randomUUID(),
                                "password",
                                "victim password 1",
                                "roles",
                                List.of("agent")))
                        .post("/api/v1/tenants/{tenant}/members", tenant.slug())
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"));
        ids.put(
                "webhooks",
                as(admin)
                        .body(Map.of(
                                "url",
                                "http://127.0.0.1:9/a",
                                "eventTypes",
                                List.of("switchboard.model.budget-exceeded")))
                        .post("/api/v1/tenants/{tenant}/webhooks", tenant.slug())
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"));
        ids.put(
                "actions",
                as(admin)
                        .body(action("http://127.0.0.1:9/bookings"))
                        .post("/api/v1/tenants/{tenant}/actions", tenant.slug())
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"));
        ids.put(
                "articles",
                as(admin)
                        .body(Map.of("title", "Refunds", "body", "Refunds take five days to reach your card."))
                        .post("/api/v1/tenants/{tenant}/knowledge/articles", tenant.slug())
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"));
        ids.put(
                "channels",
                as(admin)
                        .body(Map.of("type", "api", "name", "App", "callbackUrl", "http://127.0.0.1:9/a"))
                        .post("/api/v1/tenants/{tenant}/channels", tenant.slug())
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id"));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        ids.put("conversations", conversation.id());
        ids.put(
                "contacts",
                as(admin)
                        .get("/api/v1/tenants/{tenant}/conversations/{id}", tenant.slug(), conversation.id())
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("conversation.contactId"));
        ids.put(
                "messageId",
                WidgetClient.send(conversation, "How long do refunds take?")
                        .statusCode(200)
                        .extract()
                        .path("reply.id"));
        ids.put("model-endpoints", "builtin");
        String evaluation = as(admin)
                .body(Map.of("candidate", Map.of("endpoint", "builtin", "model", "retrieval")))
                .post("/api/v1/tenants/{tenant}/evaluations", tenant.slug())
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        // Finished before the sweep, so its rows only change if another tenant changes them.
        await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> "done"
                        .equals(as(admin)
                                .get("/api/v1/tenants/{tenant}/evaluations/{id}", tenant.slug(), evaluation)
                                .then()
                                .extract()
                                .path("state")));
        ids.put("evaluations", evaluation);
        // Questions the help centre has no article for, grouped in the background into a gap.
        for (String question : List.of(
                "Can I bring my dog to the apartment I booked?",
                "Are pets allowed in your homes? I travel with a small dog",
                "is my dog welcome at the stay or do i need a pet sitter",
                "Do hosts accept pets like dogs or cats?")) {
            WidgetClient.send(WidgetClient.start(tenant.slug()), question).statusCode(200);
        }
        // Every conversation analysed and grouped, so nothing of A changes in the background during the sweep.
        await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
            var topics = as(admin)
                    .get("/api/v1/tenants/{tenant}/insights/topics", tenant.slug())
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            return topics.getInt("analysed") == topics.getInt("conversations") && topics.getBoolean("grouped");
        });
        ids.put(
                "gaps",
                as(admin)
                        .get("/api/v1/tenants/{tenant}/insights/gaps", tenant.slug())
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("gaps[0].id"));
        return new Victim(tenant, ids);
    }

    private static Map<String, Object> action(String url) {
        return Map.of("name", "lookup_booking", "description", "Looks up a booking.", "method", "GET", "url", url);
    }

    /** Fills the path's parameters: the tenant given, and A's ids by the collection each one names. */
    private static String resolve(String template, String slug, Map<String, String> ids) {
        String[] segments = template.split("/");
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].equals("{tenant}")) {
                segments[i] = slug;
            } else if (segments[i].equals("{messageId}")) {
                segments[i] = ids.get("messageId");
            } else if (segments[i].startsWith("{")) {
                String collection = segments[i - 1];
                assertThat(ids).as("an id of tenant A for %s", template).containsKey(collection);
                segments[i] = ids.get(collection);
            }
        }
        return String.join("/", segments);
    }

    /** A digest of every row of the tenant in every table that has a tenant_id, and of its tenant row. */
    private Map<String, String> fingerprint(UUID tenantId) throws Exception {
        usage.flush();
        Map<String, String> digests = new LinkedHashMap<>();
        try (Connection connection = connections.forPlatform("test inspection")) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = connection.createStatement().executeQuery("""
                    select table_name from information_schema.columns
                    where table_schema = 'public' and column_name = 'tenant_id' order by table_name""")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            assertThat(tables).contains("conversation", "message", "article", "api_key", "account", "webhook");
            for (String table : tables) {
                digests.put(table, digest(connection, table, "tenant_id", tenantId));
            }
            digests.put("tenant", digest(connection, "tenant", "id", tenantId));
        }
        return digests;
    }

    private static String digest(Connection connection, String table, String tenantColumn, UUID tenantId)
            throws Exception {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "select column_name from information_schema.columns where table_schema = 'public' and table_name = ? order by ordinal_position")) {
            query.setString(1, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (!BACKGROUND_COLUMNS.contains(table + "." + rows.getString(1))) {
                        columns.add('"' + rows.getString(1) + '"');
                    }
                }
            }
        }
        String sql =
                "select count(*) || ':' || coalesce(md5(string_agg(r::text, '|' order by r::text)), '') from (select "
                        + String.join(", ", columns) + " from " + table + " where " + tenantColumn + " = ?) r";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, tenantId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }
}
