package io.switchboard.admin;

import static io.restassured.RestAssured.given;
import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ArticleResourceTest {

    private static final String ARTICLES = "/api/v1/tenants/{tenant}/knowledge/articles";
    private static final Map<String, Object> PARKING = Map.of(
            "title",
            "Parking at the hotel",
            "body",
            "## Parking\nGuests park in the underground garage for 5 euros per day. Enter from Mill Street.",
            "url",
            "https://help.example/parking",
            "tags",
            List.of("parking"));

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @Test
    void filesImportedThroughTheApiEmbedInTheBackgroundAndABadFileImportsNothing() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String html = "<html><body><nav>Menu</nav><main><h1>Luggage storage</h1><h2>At the station</h2>"
                + "<p>Lockers at the central station keep bags for 6 euros a day.</p></main></body></html>";
        String text = "Quiet hours\nPlease keep noise down between 22:00 and 7:00.";

        given().header("Authorization", "Bearer " + admin)
                .multiPart("files", "luggage.html", html.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/html")
                .multiPart(
                        "files",
                        "brochure.pdf",
                        "%PDF-1.7".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "application/pdf")
                .post(ARTICLES.replace("/articles", "/import"), tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("files"))
                .body("errors[0].message", org.hamcrest.Matchers.startsWith("brochure.pdf: "));
        as(admin).get(ARTICLES, tenant.slug()).then().statusCode(200).body("items", hasSize(0));

        given().header("Authorization", "Bearer " + admin)
                .multiPart("files", "luggage.html", html.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/html")
                .multiPart("files", "quiet.txt", text.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain")
                .post(ARTICLES.replace("/articles", "/import"), tenant.slug())
                .then()
                .statusCode(202)
                .header("Location", org.hamcrest.Matchers.endsWith("/knowledge/status"));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> as(admin)
                        .get(ARTICLES.replace("/articles", "/status"), tenant.slug())
                        .then()
                        .body("state", equalTo("DONE")));
        as(admin)
                .get(ARTICLES, tenant.slug())
                .then()
                .statusCode(200)
                .body("items.title", org.hamcrest.Matchers.containsInAnyOrder("Luggage storage", "Quiet hours"));
        WidgetClient.send(WidgetClient.start(tenant.slug()), "where can I leave my bags at the station?")
                .statusCode(200)
                .body("reply.citations[0].title", equalTo("Luggage storage"));
    }

    @Test
    void anAdminWritesAnArticleAndTheAssistantAnswersFromItsLatestVersion() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");

        var created = as(admin)
                .body(PARKING)
                .when()
                .post(ARTICLES, tenant.slug())
                .then()
                .statusCode(201)
                .body("title", equalTo("Parking at the hotel"))
                .body("fromConfig", equalTo(false))
                .extract();
        String id = created.path("id");
        assertThat(created.header("Location"))
                .endsWith("/api/v1/tenants/" + tenant.slug() + "/knowledge/articles/" + id);
        assertThat(answer(tenant, "how much does parking cost per day?")).contains("5 euros per day");

        as(admin)
                .body(Map.of(
                        "title",
                        "Parking at the hotel",
                        "body",
                        "## Parking\nParking in the garage now costs 9 euros per day."))
                .when()
                .put(ARTICLES + "/{id}", tenant.slug(), id)
                .then()
                .statusCode(200)
                .body("url", nullValue());
        assertThat(answer(tenant, "how much does parking cost per day?"))
                .contains("9 euros")
                .doesNotContain("5 euros");

        as(admin).when().delete(ARTICLES + "/{id}", tenant.slug(), id).then().statusCode(204);
        as(admin).when().get(ARTICLES + "/{id}", tenant.slug(), id).then().statusCode(404);
        assertThat(answer(tenant, "how much does parking cost per day?")).doesNotContain("euros");
    }

    @Test
    void anAgentSearchesTheKnowledgeAsTheAssistantRanksItAndItsLanguageIsDetected() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        as(admin).body(PARKING).when().post(ARTICLES, tenant.slug()).then().statusCode(201);
        String spanish = as(admin)
                .body(
                        Map.of(
                                "title",
                                "Aparcamiento en el hotel",
                                "body",
                                "## Aparcamiento\nEl aparcamiento del garaje cuesta 5 euros al día. Pide la tarjeta en la recepción."))
                .when()
                .post(ARTICLES, tenant.slug())
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as(admin)
                .when()
                .get(ARTICLES + "/{id}", tenant.slug(), spanish)
                .then()
                .statusCode(200)
                .body("language", equalTo("es"));

        as(agent)
                .queryParam("q", "¿cuánto cuesta aparcar en el garaje del hotel?")
                .when()
                .get("/api/v1/tenants/{tenant}/knowledge/search", tenant.slug())
                .then()
                .statusCode(200)
                .body("results[0].articleId", equalTo(spanish))
                .body("results[0].title", equalTo("Aparcamiento en el hotel"))
                .body("results.size()", equalTo(2));
        as(agent)
                .queryParam("q", " ")
                .when()
                .get("/api/v1/tenants/{tenant}/knowledge/search", tenant.slug())
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("q"));
    }

    @Test
    void articlesAreListedPageByPage() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        for (String topic : List.of("Breakfast", "Checkout", "Spa")) {
            as(admin)
                    .body(Map.of("title", topic, "body", topic + " details."))
                    .post(ARTICLES, tenant.slug())
                    .then()
                    .statusCode(201);
        }

        String next = as(admin)
                .queryParam("limit", 2)
                .get(ARTICLES, tenant.slug())
                .then()
                .statusCode(200)
                .body("items.title", org.hamcrest.Matchers.contains("Breakfast", "Checkout"))
                .extract()
                .path("next");
        as(admin)
                .queryParam("limit", 2)
                .queryParam("after", next)
                .get(ARTICLES, tenant.slug())
                .then()
                .statusCode(200)
                .body("items.title", org.hamcrest.Matchers.contains("Spa"))
                .body("next", nullValue());
        as(admin)
                .get("/api/v1/tenants/{tenant}/knowledge/status", tenant.slug())
                .then()
                .statusCode(200)
                .body("state", equalTo("DONE"))
                .body("doneChunks", equalTo(1))
                .body("totalChunks", equalTo(1));
    }

    @Test
    void badArticlesGetClearProblemsAndChangeNothing() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");

        as(admin)
                .body(Map.of("title", "Empty", "body", "  "))
                .post(ARTICLES, tenant.slug())
                .then()
                .statusCode(422)
                .body("type", equalTo("urn:switchboard:problem:validation-failed"))
                .body("errors.field", hasItem("body"));
        as(admin)
                .body(Map.of("title", "Huge", "body", "a".repeat(200 * 1024 + 1)))
                .post(ARTICLES, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.message", hasItem("must be at most 200 KB of UTF-8 text"));
        as(admin)
                .body(Map.of("title", "Binary", "body", "%PDF-1.7\u0000\u0001\u0002"))
                .post(ARTICLES, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.message", hasItem("must be markdown or plain text, not binary content"));
        as(admin)
                .body(Map.of("title", "Bad link", "body", "text", "url", "javascript:alert(1)"))
                .post(ARTICLES, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("url"));
        as(admin)
                .contentType("text/html")
                .body("<h1>hi</h1>")
                .post(ARTICLES, tenant.slug())
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:switchboard:problem:unsupported-media-type"));
        as(admin)
                .body("{\"title\":")
                .post(ARTICLES, tenant.slug())
                .then()
                .statusCode(400)
                .body("type", equalTo("urn:switchboard:problem:malformed-request"));

        as(admin).get(ARTICLES, tenant.slug()).then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void aTenantsKeyCannotSeeOrChangeAnotherTenantsArticles() {
        TenantSettings a = tenants.create(TestTenants.retrieval());
        TenantSettings b = tenants.create(TestTenants.retrieval());
        String keyOfA = AdminClient.newKey(platformKey, a.slug(), "tenant-admin");
        String keyOfB = AdminClient.newKey(platformKey, b.slug(), "tenant-admin");
        String articleOfB = as(keyOfB)
                .body(PARKING)
                .post(ARTICLES, b.slug())
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        as(keyOfA)
                .get(ARTICLES, b.slug())
                .then()
                .statusCode(404)
                .body("type", equalTo("urn:switchboard:problem:not-found"));
        as(keyOfA).get(ARTICLES + "/{id}", b.slug(), articleOfB).then().statusCode(404);
        as(keyOfA).get(ARTICLES + "/{id}", a.slug(), articleOfB).then().statusCode(404);
        as(keyOfA)
                .body(Map.of("title", "Hijacked", "body", "x"))
                .put(ARTICLES + "/{id}", a.slug(), articleOfB)
                .then()
                .statusCode(404);
        as(keyOfA).delete(ARTICLES + "/{id}", a.slug(), articleOfB).then().statusCode(404);
        as(keyOfA).get(ARTICLES, "no-such-tenant").then().statusCode(404);

        as(keyOfB)
                .get(ARTICLES + "/{id}", b.slug(), articleOfB)
                .then()
                .statusCode(200)
                .body("title", equalTo("Parking at the hotel"));
        as(keyOfA).get(ARTICLES, a.slug()).then().statusCode(200).body("items.id", not(hasItem(articleOfB)));
    }

    @Test
    void callersNeedAValidKeyWithTheRightRole() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");

        given().get(ARTICLES, tenant.slug())
                .then()
                .statusCode(401)
                .body("type", equalTo("urn:switchboard:problem:unauthorized"));
        as("sbk_not-a-real-key-at-all-000000000000")
                .get(ARTICLES, tenant.slug())
                .then()
                .statusCode(401);
        as(agent).get(ARTICLES, tenant.slug()).then().statusCode(200);
        as(agent)
                .body(PARKING)
                .post(ARTICLES, tenant.slug())
                .then()
                .statusCode(403)
                .body("type", equalTo("urn:switchboard:problem:forbidden"));

        String keyId = as(admin)
                .get("/api/v1/tenants/{tenant}/api-keys", tenant.slug())
                .then()
                .statusCode(200)
                .body("findAll { it.key != null }", hasSize(0))
                .extract()
                .path("find { it.roles.contains('agent') }.id");
        as(admin)
                .delete("/api/v1/tenants/{tenant}/api-keys/{id}", tenant.slug(), keyId)
                .then()
                .statusCode(204);
        as(agent).get(ARTICLES, tenant.slug()).then().statusCode(401);
    }

    @Test
    void tenantKeysCannotBeGrantedPlatformPowers() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");

        as(admin)
                .body(Map.of("name", "escalate", "roles", List.of("platform-admin")))
                .post("/api/v1/tenants/{tenant}/api-keys", tenant.slug())
                .then()
                .statusCode(422);
        as(admin)
                .body(Map.of("name", "typo", "roles", List.of("superuser")))
                .post("/api/v1/tenants/{tenant}/api-keys", tenant.slug())
                .then()
                .statusCode(400);
    }

    private static String answer(TenantSettings tenant, String question) {
        return WidgetClient.send(WidgetClient.start(tenant.slug()), question)
                .statusCode(200)
                .extract()
                .path("reply.text");
    }
}
