package io.switchboard.tenant;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A feature's settings that a tenant holds without interpreting them (escalation rules,
 * consumption limits): the feature that owns the settings declares the section, validates what
 * goes into it and reads it back as its own type. A tenant that never set a section gets the
 * feature's default.
 */
public record TenantSection<T>(String name, Class<T> type, T fallback) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .findAndAddModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public T read(Map<String, JsonNode> sections) {
        JsonNode stored = sections.get(name);
        if (stored == null || stored.isNull()) {
            return fallback;
        }
        try {
            return JSON.treeToValue(stored, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Tenant section '" + name + "' does not read as " + type.getSimpleName(), e);
        }
    }

    public JsonNode write(T value) {
        return JSON.valueToTree(value);
    }
}
