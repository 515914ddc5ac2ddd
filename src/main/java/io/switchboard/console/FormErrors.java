package io.switchboard.console;

import jakarta.validation.ConstraintViolation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The admin API's validation messages as a console form shows them: one per field, keyed by the
 * field's path without list indexes or the validator's container nodes
 * ("allowedOrigins[1].&lt;list element&gt;" is the allowedOrigins input).
 */
final class FormErrors {

    private FormErrors() {
    }

    /** {@code input} maps a path to the input that shows it, for rules on more than one field. */
    static <T> Map<String, String> of(Set<ConstraintViolation<T>> violations, UnaryOperator<String> input) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (ConstraintViolation<T> violation : violations) {
            errors.putIfAbsent(input.apply(field(violation)), violation.getMessage());
        }
        return errors;
    }

    static String field(ConstraintViolation<?> violation) {
        return violation.getPropertyPath().toString().replaceAll("\\[\\d+]|\\.<[a-z ]+>", "");
    }
}
