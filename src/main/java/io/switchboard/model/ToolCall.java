package io.switchboard.model;

import java.util.Objects;

/**
 * A call a model made to an offered tool: the id its result must answer to, the function's name,
 * and its arguments as the model wrote them (a JSON object, unless the model erred: whoever runs
 * the tool validates them; {@code {}} when it wrote none).
 */
public record ToolCall(String id, String name, String arguments) {

    public ToolCall {
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        arguments = arguments == null || arguments.isEmpty() ? "{}" : arguments;
    }
}
