package io.switchboard.tenant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.switchboard.testing.Chromium;
import io.switchboard.testing.KeycloakProfile;
import io.switchboard.testing.KeycloakResource;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Production identity against a real Keycloak with the repository's realm export: bearer tokens
 * on the API with realm roles and tenant membership from the /tenants/&lt;slug&gt; group, the
 * console's authorization-code login, and refusal of forged, expired and foreign tokens.
 */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
class KeycloakIdentityTest {

    private static final String CONVERSATIONS = "/api/v1/tenants/{tenant}/conversations";

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = KeycloakResource.REALM_URL)
    String realm;

    @ConfigProperty(name = KeycloakResource.ADMIN_PASSWORD)
    String keycloakAdminPassword;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.admin-password")
    String builtInAdminPassword;

    @TestHTTPResource("/")
    URI platform;

    @Test
    void builtInPasswordsDoNotLogInUnlessTurnedOn() {
        io.restassured.RestAssured.given()
                .auth()
                .preemptive()
                .basic(AccountService.BOOTSTRAP_ADMIN, builtInAdminPassword)
                .get("/api/v1/tenants")
                .then()
                .statusCode(401);
        io.restassured.RestAssured.given()
                .redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("j_username", AccountService.BOOTSTRAP_ADMIN)
                .formParam("j_password", builtInAdminPassword)
                .post("/j_security_check")
                .then()
                .statusCode(org.hamcrest.Matchers.not(302))
                .header(
                        "Set-Cookie",
                        org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("quarkus-credential")));
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + platformKey)
                .get("/api/v1/tenants")
                .then()
                .statusCode(200);
    }

    @Test
    void tokensCarryRolesAndTenantAndEachReachesOnlyItsOwn() {
        TenantSettings other = tenants.create(TestTenants.retrieval());
        String agent = token("switchboard-cli", "demo-agent", "demo-agent-password");
        String admin = token("switchboard-cli", "demo-admin", "demo-admin-password");
        String platformAdmin = token("switchboard-cli", "platform-admin", "platform-admin-password");

        bearer(agent).get(CONVERSATIONS, "demo").then().statusCode(200);
        bearer(agent).get(CONVERSATIONS, other.slug()).then().statusCode(404);
        bearer(agent).get("/api/v1/tenants/demo/members").then().statusCode(403);
        bearer(admin).get("/api/v1/tenants/demo/api-keys").then().statusCode(200);
        bearer(admin).get("/api/v1/model-endpoints").then().statusCode(403);
        bearer(platformAdmin).get("/api/v1/model-endpoints").then().statusCode(200);
        bearer(platformAdmin).get(CONVERSATIONS, other.slug()).then().statusCode(200);
        // The other ways in keep working beside OIDC: API keys, and customers' conversation tokens.
        bearer(platformKey).get("/api/v1/model-endpoints").then().statusCode(200);
        WidgetClient.send(WidgetClient.start("demo"), "How do I cancel my booking?")
                .statusCode(200);
    }

    @Test
    void forgedTamperedForeignAndExpiredTokensGet401() throws Exception {
        String agent = token("switchboard-cli", "demo-agent", "demo-agent-password");
        String[] parts = agent.split("\\.");

        // The same claims signed with a key that is not the realm's.
        var keys = KeyPairGenerator.getInstance("RSA");
        keys.initialize(2048);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(keys.generateKeyPair().getPrivate());
        signer.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        String forged = parts[0] + "." + parts[1] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        refused(forged);

        // The realm's signature over claims changed afterwards: another tenant's group.
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("/tenants/demo", "/tenants/other");
        refused(parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2]);

        // A genuine token of this realm, for another application: not for this API's audience.
        String foreignClient = "other-app-" + UUID.randomUUID().toString().substring(0, 8);
        createClient(Map.of(
                "clientId",
                foreignClient,
                "publicClient",
                true,
                "directAccessGrantsEnabled",
                true,
                "standardFlowEnabled",
                false));
        refused(token(foreignClient, "demo-agent", "demo-agent-password"));

        // A genuine token for this API that has run out.
        String shortLived = "short-lived-" + UUID.randomUUID().toString().substring(0, 8);
        createClient(Map.of(
                "clientId",
                shortLived,
                "publicClient",
                true,
                "directAccessGrantsEnabled",
                true,
                "standardFlowEnabled",
                false,
                "attributes",
                Map.of("access.token.lifespan", "2"),
                "protocolMappers",
                List.of(
                        Map.of(
                                "name",
                                "api audience",
                                "protocol",
                                "openid-connect",
                                "protocolMapper",
                                "oidc-audience-mapper",
                                "config",
                                Map.of("included.client.audience", "switchboard-api", "access.token.claim", "true")),
                        Map.of(
                                "name",
                                "tenant groups",
                                "protocol",
                                "openid-connect",
                                "protocolMapper",
                                "oidc-group-membership-mapper",
                                "config",
                                Map.of("claim.name", "groups", "full.path", "true", "access.token.claim", "true")))));
        String expiring = token(shortLived, "demo-agent", "demo-agent-password");
        bearer(expiring).get(CONVERSATIONS, "demo").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> bearer(expiring).get(CONVERSATIONS, "demo").statusCode() == 401);
        assertThat(Instant.ofEpochSecond(claims(expiring).path("exp").asLong())).isBefore(Instant.now());
        refused(expiring);
    }

    @Test
    void theConsoleLogsInThroughKeycloak() {
        addConsoleRedirect(platform.resolve("/console").toString() + "*");
        try (Playwright playwright = Playwright.create();
                Browser browser = Chromium.launch(playwright)) {
            Page page = browser.newPage();
            page.navigate(platform.resolve("/console").toString());
            page.locator("#username").waitFor();
            assertThat(page.url()).startsWith(realm);
            page.locator("#username").fill("demo-agent");
            page.locator("#password").fill("demo-agent-password");
            page.locator("#kc-login").click();
            page.getByText("Welcome, demo-agent").waitFor();
            assertThat(page.textContent("main")).contains("HomeNest", "agent");
            page.navigate(platform.resolve("/console/t/demo/inbox").toString());
            page.getByText("Waiting for a person").waitFor();
        }
    }

    @Test
    void creatingATenantProvisionsItsGroupAndFirstAdminAndDeletingRemovesThem() {
        String platformAdmin = token("switchboard-cli", "platform-admin", "platform-admin-password");
        String slug = "kc-" + UUID.randomUUID().toString().substring(0, 8);
        String firstAdmin = "first-" + slug;
        String temporary = bearer(platformAdmin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "slug",
                        slug,
                        "name",
                        "Provisioned",
                        "firstAdmin",
                        Map.of("username", firstAdmin, "email", firstAdmin + "@kc.example")))
                .post("/api/v1/tenants")
                .then()
                .statusCode(201)
                .body("firstAdmin.username", equalTo(firstAdmin))
                .extract()
                .path("firstAdmin.temporaryPassword");

        String groupId = keycloakAdmin()
                .get("/group-by-path/tenants/" + slug)
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        String userId = keycloakAdmin()
                .queryParam("username", firstAdmin)
                .queryParam("exact", true)
                .get("/users")
                .then()
                .statusCode(200)
                .body("[0].requiredActions", org.hamcrest.Matchers.hasItem("UPDATE_PASSWORD"))
                .extract()
                .path("[0].id");
        keycloakAdmin().get("/users/" + userId + "/groups").then().body("id", org.hamcrest.Matchers.hasItem(groupId));
        keycloakAdmin()
                .get("/users/" + userId + "/role-mappings/realm")
                .then()
                .body("name", org.hamcrest.Matchers.hasItem("tenant-admin"));
        // The one-time password does not open the API: Keycloak first makes them choose their own.
        given().baseUri(realm)
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "password")
                .formParam("client_id", "switchboard-cli")
                .formParam("username", firstAdmin)
                .formParam("password", temporary)
                .post("/protocol/openid-connect/token")
                .then()
                .statusCode(400)
                .body("error_description", org.hamcrest.Matchers.containsString("not fully set up"));

        bearer(platformAdmin).delete("/api/v1/tenants/{tenant}", slug).then().statusCode(204);
        keycloakAdmin().get("/group-by-path/tenants/" + slug).then().statusCode(404);
        bearer(platformAdmin).get("/api/v1/tenants/{tenant}", slug).then().statusCode(404);
    }

    @Test
    void aKeycloakFailureHalfwayLeavesNoHalfCreatedTenant() {
        String platformAdmin = token("switchboard-cli", "platform-admin", "platform-admin-password");
        String slug = "kc-" + UUID.randomUUID().toString().substring(0, 8);
        // The group is created, then the user is refused (the email belongs to demo-agent): both steps are undone.
        bearer(platformAdmin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "slug",
                        slug,
                        "name",
                        "Half",
                        "firstAdmin",
                        Map.of("username", "new-" + slug, "email", "demo-agent@homenest.example")))
                .post("/api/v1/tenants")
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:switchboard:problem:conflict"));
        keycloakAdmin().get("/group-by-path/tenants/" + slug).then().statusCode(404);
        keycloakAdmin()
                .queryParam("username", "new-" + slug)
                .queryParam("exact", true)
                .get("/users")
                .then()
                .body("size()", equalTo(0));
        bearer(platformAdmin).get("/api/v1/tenants/{tenant}", slug).then().statusCode(404);
    }

    private static com.fasterxml.jackson.databind.JsonNode claims(String token) throws java.io.IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    private static void refused(String token) {
        bearer(token)
                .get(CONVERSATIONS, "demo")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:switchboard:problem:unauthorized"));
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private String token(String client, String username, String password) {
        return given().baseUri(realm)
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "password")
                .formParam("client_id", client)
                .formParam("username", username)
                .formParam("password", password)
                .formParam("scope", "openid")
                .post("/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
    }

    private RequestSpecification keycloakAdmin() {
        String master = realm.replace("/realms/switchboard", "/realms/master");
        String adminToken = given().baseUri(master)
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "password")
                .formParam("client_id", "admin-cli")
                .formParam("username", "admin")
                .formParam("password", keycloakAdminPassword)
                .post("/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
        return given().baseUri(realm.replace("/realms/switchboard", "/admin/realms/switchboard"))
                .header("Authorization", "Bearer " + adminToken)
                .contentType(ContentType.JSON);
    }

    private void createClient(Map<String, Object> client) {
        keycloakAdmin().body(client).post("/clients").then().statusCode(201);
    }

    /** The realm export allows the console on port 8080; the test's console runs on another port. */
    private void addConsoleRedirect(String uri) {
        String id = keycloakAdmin()
                .queryParam("clientId", "switchboard-console")
                .get("/clients")
                .then()
                .statusCode(200)
                .extract()
                .path("[0].id");
        Map<String, Object> console = keycloakAdmin()
                .get("/clients/" + id)
                .then()
                .statusCode(200)
                .extract()
                .as(Map.class);
        @SuppressWarnings("unchecked")
        List<String> redirects = new java.util.ArrayList<>((List<String>) console.get("redirectUris"));
        redirects.add(uri);
        console.put("redirectUris", redirects);
        keycloakAdmin().body(console).put("/clients/" + id).then().statusCode(204);
    }
}
