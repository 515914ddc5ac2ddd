package io.switchboard.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.stream.Collectors;

/** Turns Jackson's errors into "field: problem (line n)", for people editing config files and for API clients. */
public final class YamlErrors {

    private YamlErrors() {}

    public static String describe(JsonProcessingException e) {
        String location =
                e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
        if (e instanceof UnrecognizedPropertyException unknown) {
            return path(unknown) + ": unknown field" + location;
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return path(mapping) + ": " + mapping.getOriginalMessage().split("\n")[0] + location;
        }
        return "not valid YAML: " + e.getOriginalMessage().split("\n")[0] + location;
    }

    /** The field a mapping error is about, such as {@code knowledge.articles[2].title}. */
    public static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
