package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Arguments as people see them: secret-looking values masked, for the call log and the customer's confirmation. */
final class ArgumentText {

    static final String MASK = "***";
    /** Property names whose values are credentials or payment data. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "password|passwd|passcode|passphrase|token|secret|key|card|cvv|cvc|iban|ssn|credential|authorization"
                    + "|otp",
            Pattern.CASE_INSENSITIVE);

    private static final int MAX_VALUE = 60;
    private static final int MAX_SUMMARY = 300;

    private ArgumentText() {}

    static boolean looksSecret(String propertyName) {
        return SECRET_NAME.matcher(propertyName).find();
    }

    /** A copy with the value of every property whose name looks secret replaced by {@link #MASK}, at any depth. */
    static JsonNode masked(JsonNode arguments) {
        JsonNode copy = arguments.deepCopy();
        mask(copy);
        return copy;
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (looksSecret(field.getKey())) {
                    field.setValue(TextNode.valueOf(MASK));
                } else {
                    mask(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(ArgumentText::mask);
        }
    }

    /**
     * One line naming the action and its arguments, e.g. {@code Change booking: booking_id 42, nights 3}.
     * Written from validated values only, shortened and stripped of line breaks, secrets masked.
     */
    static String summary(String actionName, JsonNode arguments) {
        StringBuilder line = new StringBuilder(actionName.substring(0, 1).toUpperCase(Locale.ROOT)
                + actionName.substring(1).replace('_', ' '));
        JsonNode shown = masked(arguments);
        String separator = ": ";
        for (Map.Entry<String, JsonNode> field : shown.properties()) {
            line.append(separator).append(field.getKey()).append(' ').append(shortened(field.getValue()));
            separator = ", ";
        }
        return line.length() > MAX_SUMMARY ? line.substring(0, MAX_SUMMARY - 1) + "…" : line.toString();
    }

    private static String shortened(JsonNode value) {
        String text = (value.isTextual() ? value.asText() : value.toString())
                .replaceAll("\\p{Cntrl}+", " ")
                .strip();
        return text.length() > MAX_VALUE ? text.substring(0, MAX_VALUE - 1) + "…" : text;
    }
}
