package io.switchboard.console;

import jakarta.ws.rs.core.MultivaluedMap;

/** Reading a posted console form: a field's text, trimmed, empty when the field was not sent. */
final class FormFields {

    private FormFields() {}

    static String text(MultivaluedMap<String, String> fields, String name) {
        String value = fields.getFirst(name);
        return value == null ? "" : value.strip();
    }

    /** A model chosen in a form as "endpoint/model"; anything else is an error for the field (and gives null). */
    static io.switchboard.model.ModelRef model(String value, String field, java.util.Map<String, String> errors) {
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            errors.put(field, "choose a model from the list");
            return null;
        }
        return new io.switchboard.model.ModelRef(value.substring(0, slash), value.substring(slash + 1));
    }
}
