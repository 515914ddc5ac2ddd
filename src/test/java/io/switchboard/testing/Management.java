package io.switchboard.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/** Requests to the application's management interface (health, metrics), on its own port in tests as in production. */
public final class Management {

    private static final int DEFAULT_TEST_PORT = 9001;

    private Management() {}

    public static RequestSpecification given() {
        return RestAssured.given()
                .port(ConfigProvider.getConfig()
                        .getOptionalValue("quarkus.management.test-port", Integer.class)
                        .orElse(DEFAULT_TEST_PORT));
    }

    /** The Prometheus page. */
    public static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
