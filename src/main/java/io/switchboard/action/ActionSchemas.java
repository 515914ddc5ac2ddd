package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON Schemas of actions' arguments (draft 2020-12): whether a tenant's schema is one the
 * platform can offer a model and check arguments against, and checking the arguments a model
 * supplies. A schema may only refer to itself: a remote {@code $ref} would make the platform fetch
 * URLs of the tenant's choosing.
 */
final class ActionSchemas {

    /** The most a schema may take, serialised: it goes to the model with every turn. */
    static final int MAX_SCHEMA_BYTES = 16 * 1024;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Set<String> REFERENCES = Set.of("$ref", "$dynamicRef", "$recursiveRef");
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .locale(Locale.ENGLISH)
            .formatAssertionsEnabled(true)
            .build();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final JsonSchema META_SCHEMA = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012), CONFIG);

    private final ObjectMapper json;

    ActionSchemas(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The model's arguments with unknown properties dropped (null when they are not a JSON object),
     * and why they do not fit the schema (null when they do).
     */
    record Checked(ObjectNode arguments, String refusal) {}

    /** The names of the URL's {@code {param}} placeholders, in order. */
    static List<String> placeholders(String url) {
        List<String> names = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(url);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** What makes the schema unusable as an action's parameters, or nothing. */
    Optional<String> problemWith(JsonNode schema) {
        if (!schema.isObject() || !"object".equals(schema.path("type").asText())) {
            return Optional.of("must be a JSON Schema object with \"type\": \"object\"");
        }
        if (schema.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SCHEMA_BYTES) {
            return Optional.of("must take at most " + MAX_SCHEMA_BYTES / 1024 + " KB");
        }
        if (schema.has("properties") && !schema.get("properties").isObject()) {
            return Optional.of("'properties' must be an object");
        }
        Optional<String> reference = foreignReference(schema);
        if (reference.isPresent()) {
            return reference;
        }
        Set<ValidationMessage> metaProblems = META_SCHEMA.validate(schema);
        if (!metaProblems.isEmpty()) {
            return Optional.of("is not a valid JSON Schema (draft 2020-12): " + describe(metaProblems));
        }
        for (JsonNode required : schema.path("required")) {
            if (!schema.path("properties").has(required.asText())) {
                return Optional.of("requires '" + required.asText() + "', which is not among its properties");
            }
        }
        try {
            FACTORY.getSchema(schema, CONFIG).initializeValidators();
        } catch (JsonSchemaException | IllegalArgumentException | IllegalStateException e) {
            return Optional.of("cannot be used: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** The first placeholder of the URL that the schema does not declare as a property, or nothing. */
    static Optional<String> undeclaredPlaceholder(String url, JsonNode schema) {
        return placeholders(url).stream()
                .filter(name -> !schema.path("properties").has(name))
                .findFirst();
    }

    /** The model's arguments (JSON text) made to fit the schema: unknown properties dropped, the rest checked. */
    Checked check(JsonNode schema, String argumentsJson) {
        JsonNode arguments;
        try {
            arguments = argumentsJson == null || argumentsJson.isBlank()
                    ? json.createObjectNode()
                    : json.readTree(argumentsJson);
        } catch (java.io.IOException e) {
            return new Checked(null, "the arguments are not valid JSON");
        }
        if (arguments == null || !arguments.isObject()) {
            return new Checked(null, "the arguments must be a JSON object");
        }
        ObjectNode known = (ObjectNode) arguments.deepCopy();
        dropUnknown(schema, known);
        Set<ValidationMessage> problems = FACTORY.getSchema(schema, CONFIG).validate(known);
        return new Checked(known, problems.isEmpty() ? null : describe(problems));
    }

    /** Removes the properties the schema does not declare, wherever it declares an object's properties. */
    private static void dropUnknown(JsonNode schema, JsonNode value) {
        JsonNode properties = schema.path("properties");
        if (value instanceof ObjectNode object && properties.isObject()) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!properties.has(name)) {
                    names.remove();
                } else {
                    dropUnknown(properties.get(name), object.get(name));
                }
            }
        } else if (value.isArray() && schema.path("items").isObject()) {
            value.forEach(item -> dropUnknown(schema.get("items"), item));
        }
    }

    private static Optional<String> foreignReference(JsonNode node) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String key = field.getKey();
                if (REFERENCES.contains(key) && !field.getValue().asText().startsWith("#")) {
                    return Optional.of("may only refer to itself ('" + key + "' must start with '#')");
                }
                if (key.equals("$id")
                        || key.equals("$schema") && !field.getValue().asText().equals(SchemaId.V202012)) {
                    return Optional.of("may not set '" + key + "' (draft 2020-12 is assumed)");
                }
                Optional<String> inner = foreignReference(field.getValue());
                if (inner.isPresent()) {
                    return inner;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                Optional<String> inner = foreignReference(item);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    /** The problems in a stable order, each as "where: what", at most five. */
    private static String describe(Set<ValidationMessage> problems) {
        Set<String> lines = new LinkedHashSet<>();
        problems.stream()
                .sorted(Comparator.comparing(ValidationMessage::getMessage))
                .limit(5)
                .forEach(problem -> lines.add(problem.getMessage()));
        return String.join("; ", lines);
    }
}
