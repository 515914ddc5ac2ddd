package io.switchboard.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.tenant.AccountService;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * What a foreign web page can make a browser send: form posts carrying the Basic credentials or
 * session cookie the browser holds for the platform. None of them changes anything; the same
 * calls from the platform's own pages, from scripts and with API keys work.
 */
@QuarkusTest
class CrossSiteRequestsTest {

    private static final String CONVERSATION = "/api/v1/tenants/{tenant}/conversations/{id}";
    private static final String FOREIGN = "https://evil.example";

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.admin-password")
    String adminPassword;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @Test
    void aForeignPageCannotDriveTheApiWithTheBrowsersBasicCredentials() {
        TenantSettings tenant = tenants.create(ModelPolicy.of(new ModelRef("stub", "echo")));
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        WidgetClient.send(conversation, "hello").statusCode(200);

        admin().header("Origin", FOREIGN)
                .contentType("application/x-www-form-urlencoded")
                .formParam("x", "1")
                .post(CONVERSATION + "/close", tenant.slug(), conversation.id())
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:switchboard:problem:cross-site-request"));
        admin().header("Sec-Fetch-Site", "cross-site")
                .contentType("text/plain")
                .body("{}")
                .post(CONVERSATION + "/assign", tenant.slug(), conversation.id())
                .then()
                .statusCode(403);
        admin().header("Origin", "null")
                .contentType("multipart/form-data")
                .multiPart("file", "a.md", "# Planted\n\nText".getBytes())
                .post("/api/v1/tenants/{tenant}/knowledge/import", tenant.slug())
                .then()
                .statusCode(403);
        admin().header("Origin", "http://localhost.evil.example:" + RestAssured.port)
                .post(CONVERSATION + "/close", tenant.slug(), conversation.id())
                .then()
                .statusCode(403);
        admin().get(CONVERSATION, tenant.slug(), conversation.id())
                .then()
                .statusCode(200)
                .body("conversation.state", equalTo("BOT"));

        admin().header("Origin", "http://localhost:" + RestAssured.port)
                .header("Sec-Fetch-Site", "same-origin")
                .post(CONVERSATION + "/assign", tenant.slug(), conversation.id())
                .then()
                .statusCode(200);
        admin().post(CONVERSATION + "/release", tenant.slug(), conversation.id())
                .then()
                .statusCode(200);
        String agentKey = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        AdminClient.as(agentKey)
                .header("Origin", FOREIGN)
                .post(CONVERSATION + "/close", tenant.slug(), conversation.id())
                .then()
                .statusCode(200)
                .body("state", equalTo("CLOSED"));
    }

    @Test
    void noPageCanLogAVisitorInFromElsewhere() {
        given().header("Origin", FOREIGN)
                .contentType("application/x-www-form-urlencoded")
                .formParam("j_username", AccountService.BOOTSTRAP_ADMIN)
                .formParam("j_password", adminPassword)
                .post("/j_security_check")
                .then()
                .statusCode(403)
                .header("Set-Cookie", nullValue());
    }

    @Test
    void behindAProxyThatEndsTlsTheSessionAndFormTokenCookiesAreSecure() {
        io.restassured.response.Response login = given().redirects()
                .follow(false)
                .header("X-Forwarded-Proto", "https")
                .header("Origin", "https://localhost:" + RestAssured.port)
                .contentType("application/x-www-form-urlencoded")
                .formParam("j_username", AccountService.BOOTSTRAP_ADMIN)
                .formParam("j_password", adminPassword)
                .post("/j_security_check");
        for (String name : java.util.List.of("quarkus-credential=", "switchboard-session=")) {
            org.assertj.core.api.Assertions.assertThat(login.headers().getValues("Set-Cookie"))
                    .anySatisfy(cookie -> org.assertj.core.api.Assertions.assertThat(cookie)
                            .startsWith(name)
                            .containsIgnoringCase("; Secure"));
        }
        // Before login, the console's form token is a cookie of its own, Secure too.
        io.restassured.response.Response page =
                given().header("X-Forwarded-Proto", "https").get("/console/login");
        org.assertj.core.api.Assertions.assertThat(page.headers().getValues("Set-Cookie"))
                .anySatisfy(cookie -> org.assertj.core.api.Assertions.assertThat(cookie)
                        .startsWith("switchboard-csrf=")
                        .containsIgnoringCase("; Secure"));
    }

    @Test
    void anUnauthenticatedApiCallDoesNotInviteTheBrowsersPasswordPrompt() {
        given().get("/api/v1/tenants")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", not(emptyOrNullString()))
                .header("WWW-Authenticate", not(containsString("Basic")));
        given().auth()
                .preemptive()
                .basic(AccountService.BOOTSTRAP_ADMIN, "wrong password of the admin")
                .get("/api/v1/tenants")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", not(containsString("Basic")));
    }

    private RequestSpecification admin() {
        return given().auth().preemptive().basic(AccountService.BOOTSTRAP_ADMIN, adminPassword);
    }
}
