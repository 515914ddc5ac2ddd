package io.switchboard.tenant;

import static io.restassured.RestAssured.given;
import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.Management;
import io.switchboard.testing.TestTenants;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Built-in accounts of the embedded default: members with roles, HTTP Basic on the API, the bootstrap admin, the audit log. */
@QuarkusTest
class BuiltInAccountsTest {

    private static final String MEMBERS = "/api/v1/tenants/{tenant}/members";
    private static final String CONVERSATIONS = "/api/v1/tenants/{tenant}/conversations";
    private static final String AUDIT = "/api/v1/tenants/{tenant}/audit-log";
    private static final String PASSWORD = "correct horse battery";
    /** As the test profile sets them. */
    private static final int FAILURES_PER_ACCOUNT = 10;

    private static final int FAILURES_PER_ADDRESS = 20;
    private static final String OWN_ADDRESS = "192.0.2." + (1 + new java.util.Random().nextInt(250));

    @Inject
    TestTenants tenants;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.admin-password")
    String adminPassword;

    @Test
    void membersLogInWithTheirPasswordAndActWithinTheirRolesAndTenantOnly() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        TenantSettings other = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String agentName = unique("agent");
        String adminName = unique("lead");
        addMember(admin, tenant, agentName, "agent")
                .statusCode(201)
                .body("username", equalTo(agentName))
                .body("roles", equalTo(List.of("agent")))
                .body("$", not(hasKey("passwordHash")));
        addMember(admin, tenant, adminName, "tenant-admin").statusCode(201);

        basic(agentName, PASSWORD).get(CONVERSATIONS, tenant.slug()).then().statusCode(200);
        basic(agentName, PASSWORD)
                .get(MEMBERS, tenant.slug())
                .then()
                .statusCode(403)
                .body("type", equalTo("urn:switchboard:problem:forbidden"));
        basic(adminName, PASSWORD)
                .get(MEMBERS, tenant.slug())
                .then()
                .statusCode(200)
                .body("username", hasItem(agentName));
        // Another tenant's data does not exist for them, and platform operations are not theirs.
        basic(adminName, PASSWORD).get(CONVERSATIONS, other.slug()).then().statusCode(404);
        basic(adminName, PASSWORD).get("/api/v1/audit-log").then().statusCode(403);
        basic(adminName, PASSWORD).get("/api/v1/model-endpoints").then().statusCode(403);
    }

    @Test
    void wrongCredentialsGetAProblemAndTheAttemptIsAudited() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String name = unique("agent");
        addMember(admin, tenant, name, "agent").statusCode(201);

        basic(name, "not the password at all")
                .get(CONVERSATIONS, tenant.slug())
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", not(containsString("Basic")))
                .body("type", equalTo("urn:switchboard:problem:unauthorized"));
        basic(unique("nobody"), PASSWORD)
                .get(CONVERSATIONS, tenant.slug())
                .then()
                .statusCode(401);

        String log = as(admin)
                .get(AUDIT, tenant.slug())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(log)
                .contains("\"action\":\"login-failed\"", "\"actor\":\"" + name + "\"", "wrong password")
                .contains("\"action\":\"member.added\"", "\"action\":\"api-key.created\"")
                .doesNotContain("not the password at all", PASSWORD);
    }

    @Test
    void manyWrongPasswordsLockTheUsernameEvenForTheRightOne() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String name = unique("agent");
        addMember(admin, tenant, name, "agent").statusCode(201);

        // Guessed in parallel, as a script would, from addresses all over the internet.
        List<Integer> statuses = java.util.stream.IntStream.range(0, FAILURES_PER_ACCOUNT + 5)
                .parallel()
                .mapToObj(attempt -> basicFrom("198.51.100." + attempt, name, "guess number " + attempt)
                        .get(CONVERSATIONS, tenant.slug())
                        .statusCode())
                .toList();
        assertThat(statuses).containsOnly(401);
        basicFrom("198.51.100.200", name, PASSWORD)
                .get(CONVERSATIONS, tenant.slug())
                .then()
                .statusCode(401);
        assertThat(loginAudits(admin, tenant, name))
                .as("bcrypt ran for the guesses the bucket held, no more")
                .isEqualTo(FAILURES_PER_ACCOUNT);
    }

    @Test
    void manyWrongPasswordsFromOneAddressLockThatAddressForEveryAccount() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String name = unique("agent");
        addMember(admin, tenant, name, "agent").statusCode(201);
        String guesser = "203.0.113." + (1 + new java.util.Random().nextInt(250));

        for (int attempt = 0; attempt < FAILURES_PER_ADDRESS; attempt++) {
            basicFrom(guesser, unique("guess"), "guess number " + attempt)
                    .get(CONVERSATIONS, tenant.slug())
                    .then()
                    .statusCode(401);
        }
        basicFrom(guesser, name, PASSWORD)
                .get(CONVERSATIONS, tenant.slug())
                .then()
                .statusCode(401);
        basic(name, PASSWORD).get(CONVERSATIONS, tenant.slug()).then().statusCode(200);
        assertThat(Management.given().get("/q/metrics").then().extract().asString())
                .contains("switchboard_login_refused_total{limit=\"address\"}");
    }

    /** How many of this member's logins reached the password check, from the audit log. */
    private static int loginAudits(String admin, TenantSettings tenant, String name) {
        return as(admin)
                .get(AUDIT + "?limit=200", tenant.slug())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.findAll { it.action == 'login-failed' && it.actor == '" + name + "' }")
                .size();
    }

    @Test
    void aChangedOrRemovedMemberLosesAccessAtOnce() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String name = unique("lead");
        String id = addMember(admin, tenant, name, "tenant-admin")
                .statusCode(201)
                .extract()
                .path("id");
        basic(name, PASSWORD).get(MEMBERS, tenant.slug()).then().statusCode(200);

        as(admin)
                .body(Map.of("roles", List.of("agent")))
                .patch(MEMBERS + "/{id}", tenant.slug(), id)
                .then()
                .statusCode(200)
                .body("roles", equalTo(List.of("agent")));
        basic(name, PASSWORD).get(MEMBERS, tenant.slug()).then().statusCode(403);

        String newPassword = "a brand new passphrase";
        as(admin)
                .body(Map.of("password", newPassword))
                .patch(MEMBERS + "/{id}", tenant.slug(), id)
                .then()
                .statusCode(200);
        basic(name, PASSWORD).get(CONVERSATIONS, tenant.slug()).then().statusCode(401);
        basic(name, newPassword).get(CONVERSATIONS, tenant.slug()).then().statusCode(200);

        as(admin).delete(MEMBERS + "/{id}", tenant.slug(), id).then().statusCode(204);
        basic(name, newPassword).get(CONVERSATIONS, tenant.slug()).then().statusCode(401);
        String log = as(admin)
                .get(AUDIT, tenant.slug())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(log)
                .contains(
                        "\"action\":\"member.changed\"",
                        "\"rolesBefore\":[\"tenant-admin\"]",
                        "\"action\":\"member.removed\"")
                .doesNotContain(newPassword);
    }

    @Test
    void badMembersAreRefusedFieldByFieldAndNothingIsStored() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String name = unique("agent");

        as(admin)
                .body(Map.of("username", name, "password", "short", "roles", List.of("agent")))
                .post(MEMBERS, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("password"));
        as(admin)
                .body(Map.of("username", name, "password", "é".repeat(40), "roles", List.of("agent")))
                .post(MEMBERS, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("password"));
        as(admin)
                .body(Map.of("username", "has space", "password", PASSWORD, "roles", List.of("agent")))
                .post(MEMBERS, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("username"));
        as(admin)
                .body(Map.of("username", name, "password", PASSWORD, "roles", List.of("platform-admin")))
                .post(MEMBERS, tenant.slug())
                .then()
                .statusCode(422);
        as(admin)
                .body(Map.of("username", name, "password", PASSWORD, "roles", List.of()))
                .post(MEMBERS, tenant.slug())
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("roles"));
        as(admin).get(MEMBERS, tenant.slug()).then().statusCode(200).body("size()", equalTo(0));

        addMember(admin, tenant, name, "agent").statusCode(201);
        addMember(admin, tenant, name.toUpperCase(), "agent").statusCode(409);
        addMember(admin, tenant, "Admin", "agent").statusCode(409);
        as(admin).get(MEMBERS, tenant.slug()).then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void theBootstrapAdminActsOnEveryTenantAndSeesThePlatformAuditLog() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        basic(AccountService.BOOTSTRAP_ADMIN, adminPassword)
                .get(MEMBERS, tenant.slug())
                .then()
                .statusCode(200);
        String name = unique("agent");
        basic(AccountService.BOOTSTRAP_ADMIN, adminPassword)
                .body(Map.of("username", name, "password", PASSWORD, "roles", List.of("agent")))
                .post(MEMBERS, tenant.slug())
                .then()
                .statusCode(201);

        basic(AccountService.BOOTSTRAP_ADMIN, adminPassword)
                .get("/api/v1/audit-log?limit=200")
                .then()
                .statusCode(200)
                .body(
                        "items.find { it.action == 'member.added' && it.target != null && it.detail.username == '"
                                + name + "' }.actor",
                        equalTo(AccountService.BOOTSTRAP_ADMIN))
                .body("items.action", hasItem("member.added"));
        basic(AccountService.BOOTSTRAP_ADMIN, adminPassword)
                .get("/api/v1/audit-log?action=admin.password-set")
                .then()
                .statusCode(200)
                .body("items.action", hasItem("admin.password-set"));
        basic(AccountService.BOOTSTRAP_ADMIN, adminPassword)
                .get("/api/v1/audit-log?action=no-such-action")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("action"));
    }

    @Test
    void theAuditLogIsPagedNewestFirstAndEachTenantSeesOnlyItsOwn() {
        TenantSettings tenant = tenants.create(TestTenants.retrieval());
        TenantSettings other = tenants.create(TestTenants.retrieval());
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        String otherAdmin = AdminClient.newKey(platformKey, other.slug(), "tenant-admin");
        for (int i = 0; i < 3; i++) {
            addMember(admin, tenant, unique("agent" + i), "agent").statusCode(201);
        }

        ValidatableResponse first = as(admin)
                .get(AUDIT + "?limit=2", tenant.slug())
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(2));
        long newest = ((Number) first.extract().path("items[0].id")).longValue();
        long second = ((Number) first.extract().path("items[1].id")).longValue();
        assertThat(newest).isGreaterThan(second);
        String next = first.extract().path("next");
        as(admin)
                .get(AUDIT + "?limit=2&before=" + next, tenant.slug())
                .then()
                .statusCode(200)
                .body("items[0].id", lessThan((int) second));
        as(otherAdmin).get(AUDIT, tenant.slug()).then().statusCode(404);
        as(otherAdmin)
                .get(AUDIT + "?limit=200", other.slug())
                .then()
                .statusCode(200)
                .body("items.tenantId", not(hasItem(tenant.id().toString())));
        as(admin).get(AUDIT + "?before=yesterday", tenant.slug()).then().statusCode(400);
        as(admin).get(AUDIT + "?limit=0", tenant.slug()).then().statusCode(422);
    }

    private static ValidatableResponse addMember(String adminKey, TenantSettings tenant, String username, String role) {
        return as(adminKey)
                .body(Map.of("username", username, "password", PASSWORD, "roles", List.of(role)))
                .post(MEMBERS, tenant.slug())
                .then();
    }

    /** From an address of this test's own, so its wrong passwords count against no other test's logins. */
    static RequestSpecification basic(String username, String password) {
        return basicFrom(OWN_ADDRESS, username, password);
    }

    /** As a client at this address, seen through the (trusted, loopback) proxy. */
    static RequestSpecification basicFrom(String address, String username, String password) {
        return given().auth()
                .preemptive()
                .basic(username, password)
                .contentType(ContentType.JSON)
                .header("X-Forwarded-For", address);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
