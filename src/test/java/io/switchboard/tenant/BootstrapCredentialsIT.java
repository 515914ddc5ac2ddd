package io.switchboard.tenant;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import io.switchboard.testing.ModelStub;
import io.switchboard.testing.PackagedJar;
import io.switchboard.testing.PackagedReplicas;
import io.switchboard.testing.PostgresResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The credentials an operator configures are revocable by configuring again: a bootstrap API key
 * that is no longer set stops working at the next start (keys created with it stay), and the
 * built-in admin can be switched off.
 */
class BootstrapCredentialsIT {

    private static final String FIRST_KEY = "sbk_first_bootstrap_key_0123456789abcdef";
    private static final String ROTATED_KEY = "sbk_rotated_bootstrap_key_0123456789abcdef";
    private static final String ADMIN_PASSWORD = "the admin's long password";

    @Test
    void aRotatedOrRemovedBootstrapKeyAndADisabledAdminStopWorkingAtTheNextStart() throws Exception {
        PostgresResource postgres = new PostgresResource();
        try (ModelStub stub = ModelStub.start()) {
            Map<String, String> environment = PackagedJar.environment(
                    postgres.start(), Files.createTempDirectory("bootstrap-tenants"), stub.baseUrl(), "echo");
            environment.put("SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);

            environment.put("SWITCHBOARD_BOOTSTRAP_API_KEY", FIRST_KEY);
            PackagedJar first = start(environment, "bootstrap-first");
            key(first, FIRST_KEY).get("/api/v1/tenants").then().statusCode(200);
            admin(first).get("/api/v1/tenants").then().statusCode(200);
            stop(first);

            environment.put("SWITCHBOARD_BOOTSTRAP_API_KEY", ROTATED_KEY);
            environment.put("SWITCHBOARD_BOOTSTRAP_ADMIN_ENABLED", "false");
            PackagedJar rotated = start(environment, "bootstrap-rotated");
            key(rotated, FIRST_KEY).get("/api/v1/tenants").then().statusCode(401);
            key(rotated, ROTATED_KEY).get("/api/v1/tenants").then().statusCode(200);
            admin(rotated).get("/api/v1/tenants").then().statusCode(401);
            String created = key(rotated, ROTATED_KEY)
                    .contentType("application/json")
                    .body(Map.of("name", "operations"))
                    .post("/api/v1/api-keys")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("key");
            stop(rotated);

            environment.remove("SWITCHBOARD_BOOTSTRAP_API_KEY");
            PackagedJar unset = start(environment, "bootstrap-unset");
            key(unset, ROTATED_KEY).get("/api/v1/tenants").then().statusCode(401);
            key(unset, created).get("/api/v1/tenants").then().statusCode(200);
            key(unset, created)
                    .get("/api/v1/audit-log?action=admin.disabled")
                    .then()
                    .statusCode(200)
                    .body("items.size()", org.hamcrest.Matchers.equalTo(1));
            stop(unset);
        } finally {
            postgres.stop();
        }
    }

    private static PackagedJar start(Map<String, String> environment, String name) throws Exception {
        return PackagedJar.start(
                Path.of(System.getProperty("switchboard.jar", "target/quarkus-app/quarkus-run.jar")),
                "512m",
                environment,
                PackagedReplicas.log(name));
    }

    private static void stop(PackagedJar jar) throws InterruptedException {
        jar.process().destroy();
        jar.process().waitFor(60, TimeUnit.SECONDS);
    }

    private static RequestSpecification key(PackagedJar jar, String key) {
        return given().baseUri(jar.uri().toString()).header("Authorization", "Bearer " + key);
    }

    private static RequestSpecification admin(PackagedJar jar) {
        return given().baseUri(jar.uri().toString())
                .auth()
                .preemptive()
                .basic(AccountService.BOOTSTRAP_ADMIN, ADMIN_PASSWORD);
    }
}
