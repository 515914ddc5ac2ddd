package io.switchboard.gateway;

import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import java.util.Map;

/** The function tools the /v1 tests offer a model, as a support agent's client would define them. */
final class ToolDefinitions {

    private ToolDefinitions() {}

    static FunctionDefinition lookupOrder() {
        return FunctionDefinition.builder()
                .name("lookup_order")
                .description("Finds an order by what the customer says about it")
                .parameters(objectSchema())
                .build();
    }

    /** Parameters of one string, {@code query}. */
    static FunctionParameters objectSchema() {
        return FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("query", Map.of("type", "string"))))
                .build();
    }
}
