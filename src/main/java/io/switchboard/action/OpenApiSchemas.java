package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON Schemas of an OpenAPI document as an action's parameters take them: references to
 * the document's components become references inside the action's own schema ({@code $defs}),
 * and a reference outside the document is found before anything could fetch it.
 */
final class OpenApiSchemas {

    private static final String COMPONENTS = "#/components/schemas/";
    private static final String DEFS = "#/$defs/";

    private OpenApiSchemas() {}

    /** A body schema that is only a reference to a component is read as that component. */
    static JsonNode inlineTopLevel(JsonNode schema, Map<String, JsonNode> components) {
        JsonNode current = schema;
        for (int depth = 0; depth < 10 && current.path("$ref").asText().startsWith(COMPONENTS); depth++) {
            JsonNode target = components.get(current.path("$ref").asText().substring(COMPONENTS.length()));
            if (target == null) {
                return current;
            }
            current = target;
        }
        return current;
    }

    /**
     * Points the schema's references to components at {@code $defs} and copies there the components
     * it uses, transitively, so the action's schema refers only to itself.
     */
    static void withDefinitions(ObjectNode schema, Map<String, JsonNode> components) {
        Map<String, JsonNode> used = new LinkedHashMap<>();
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.add(schema);
        while (!pending.isEmpty()) {
            for (String name : rewriteReferences(pending.pop())) {
                JsonNode component = components.get(name);
                if (component != null && !used.containsKey(name)) {
                    JsonNode copy = component.deepCopy();
                    used.put(name, copy);
                    pending.add(copy);
                }
            }
        }
        if (!used.isEmpty()) {
            ObjectNode definitions = schema.putObject("$defs");
            used.forEach(definitions::set);
        }
    }

    /** Rewrites {@code #/components/schemas/X} to {@code #/$defs/X} in place; the component names met. */
    static Set<String> rewriteReferences(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith(COMPONENTS)) {
                String name = ref.asText().substring(COMPONENTS.length());
                object.set("$ref", TextNode.valueOf(DEFS + name));
                names.add(name);
            }
            object.properties().forEach(field -> names.addAll(rewriteReferences(field.getValue())));
        } else if (node.isArray()) {
            node.forEach(item -> names.addAll(rewriteReferences(item)));
        }
        return names;
    }

    static Optional<String> remoteReference(JsonNode node) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && !ref.asText().startsWith("#")) {
                return Optional.of(ref.asText());
            }
            for (var field : node.properties()) {
                Optional<String> inner = remoteReference(field.getValue());
                if (inner.isPresent()) {
                    return inner;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                Optional<String> inner = remoteReference(item);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }
}
