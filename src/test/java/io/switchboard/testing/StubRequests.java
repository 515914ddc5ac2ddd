package io.switchboard.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.StreamSupport;

/** What the model stub was asked: the chat requests it recorded, as JSON, oldest first. */
public final class StubRequests {

    private StubRequests() {}

    public static JsonNode all(String stubBaseUrl) {
        return given().baseUri(stubBaseUrl.replace("/v1", ""))
                .get("/stub/requests")
                .then()
                .statusCode(200)
                .extract()
                .as(JsonNode.class);
    }

    /** How many requests for this model contained the text. */
    public static long count(String stubBaseUrl, String model, String text) {
        return StreamSupport.stream(all(stubBaseUrl).spliterator(), false)
                .filter(request -> model.equals(request.path("model").asText())
                        && request.toString().contains(text))
                .count();
    }

    /** The latest request that contained the text; the test fails when there is none. */
    public static JsonNode last(String stubBaseUrl, String text) {
        JsonNode found = null;
        for (JsonNode request : all(stubBaseUrl)) {
            if (request.toString().contains(text)) {
                found = request;
            }
        }
        assertThat(found).as("a model request containing '%s'", text).isNotNull();
        return found;
    }
}
