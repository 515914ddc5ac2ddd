package io.switchboard.console;

import io.switchboard.platform.ProblemException;
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

    private FormErrors() {}

    /** {@code input} maps a path to the input that shows it, for rules on more than one field. */
    static <T> Map<String, String> of(Set<ConstraintViolation<T>> violations, UnaryOperator<String> input) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (ConstraintViolation<T> violation : violations) {
            errors.putIfAbsent(input.apply(field(violation)), violation.getMessage());
        }
        return errors;
    }

    /** A service's refusal on the form: its field errors by their fields, or else its detail under {@code general}. */
    static void add(Map<String, String> errors, ProblemException refused, String general) {
        refused.problem().errors().forEach(error -> errors.putIfAbsent(error.field(), error.message()));
        if (refused.problem().errors().isEmpty()) {
            errors.put(general, refused.problem().detail());
        }
    }

    static String field(ConstraintViolation<?> violation) {
        return violation.getPropertyPath().toString().replaceAll("\\[\\d+]|\\.<[a-z ]+>", "");
    }
}
