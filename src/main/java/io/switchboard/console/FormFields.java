package io.switchboard.console;

import jakarta.ws.rs.core.MultivaluedMap;

/** Reading a posted console form: a field's text, trimmed, empty when the field was not sent. */
final class FormFields {

    private FormFields() {
    }

    static String text(MultivaluedMap<String, String> fields, String name) {
        String value = fields.getFirst(name);
        return value == null ? "" : value.strip();
    }
}
