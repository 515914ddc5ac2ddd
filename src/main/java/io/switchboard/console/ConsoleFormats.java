package io.switchboard.console;

import io.quarkus.qute.TemplateExtension;
import java.util.Locale;

/** How console pages write numbers. */
@TemplateExtension
final class ConsoleFormats {

    private ConsoleFormats() {
    }

    /** A score such as a similarity or confidence: two decimals. */
    static String twoDecimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
