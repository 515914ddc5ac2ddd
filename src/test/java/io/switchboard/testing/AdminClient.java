package io.switchboard.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.restassured.common.mapper.TypeRef;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The admin API as a tenant's script would call it, with an API key. */
public final class AdminClient {

    private AdminClient() {}

    /** Creates a tenant's action through the admin API: the action as created, with its signing secret (shown once). */
    public static Map<String, Object> defineAction(String adminKey, String tenant, Map<String, Object> definition) {
        return as(adminKey)
                .body(definition)
                .post("/api/v1/tenants/{tenant}/actions", tenant)
                .then()
                .statusCode(201)
                .extract()
                .as(new TypeRef<Map<String, Object>>() {});
    }

    /**
     * The tenant's usage report once it holds one model's API calls and {@code complete} holds:
     * metering is recorded after the answer has gone out.
     */
    public static JsonPath apiUsage(String key, String tenant, Predicate<JsonPath> complete) {
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> as(key).get("/api/v1/tenants/{tenant}/usage", tenant)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        report -> report.getList("api").size() == 1 && complete.test(report));
    }

    public static RequestSpecification as(String apiKey) {
        return given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON);
    }

    /** The password test members get (see {@link #newMember}). */
    public static final String MEMBER_PASSWORD = "member password 2026";

    /** A new built-in account of the tenant with this role and {@link #MEMBER_PASSWORD}, added by a tenant admin's key; its username. */
    public static String newMember(String adminKey, String tenant, String role) {
        String username = role + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        as(adminKey)
                .body(Map.of("username", username, "password", MEMBER_PASSWORD, "roles", List.of(role)))
                .post("/api/v1/tenants/{tenant}/members", tenant)
                .then()
                .statusCode(201);
        return username;
    }

    /** {@link #newMember} for a test that holds only the platform key: a tenant-admin key of the tenant adds the member. */
    public static String newMemberWithPlatformKey(String platformKey, String tenant, String role) {
        return newMember(newKey(platformKey, tenant, "tenant-admin"), tenant, role);
    }

    /**
     * The cookies of a console login with a built-in account, as a {@code Cookie} header value:
     * the session ({@code quarkus-credential}) and its binding to the password ({@code switchboard-session}).
     */
    public static String consoleSession(String username, String password) {
        Map<String, String> cookies = given().redirects()
                .follow(false)
                .formParam("j_username", username)
                .formParam("j_password", password)
                .post("/j_security_check")
                .then()
                .statusCode(302)
                .extract()
                .cookies();
        return "quarkus-credential=" + cookies.get("quarkus-credential") + "; switchboard-session="
                + cookies.get("switchboard-session");
    }

    /** A new API key of the tenant with these roles, created with the platform key. */
    public static String newKey(String platformKey, String tenant, String... roles) {
        return as(platformKey)
                .body(Map.of("name", "test key", "roles", List.of(roles)))
                .when()
                .post("/api/v1/tenants/{tenant}/api-keys", tenant)
                .then()
                .statusCode(201)
                .extract()
                .path("key");
    }

    /** The official OpenAI client on the tenant's /v1 with a new agent key, retries off so each test sees the first answer. */
    public static OpenAIClient openAi(String platformKey, String tenant, URI v1) {
        return openAi(newKey(platformKey, tenant, "agent"), v1);
    }

    /** The official OpenAI client on /v1 with this key, retries off. */
    public static OpenAIClient openAi(String key, URI v1) {
        return OpenAIOkHttpClient.builder()
                .apiKey(key)
                .baseUrl(v1.toString())
                .maxRetries(0)
                .build();
    }
}
