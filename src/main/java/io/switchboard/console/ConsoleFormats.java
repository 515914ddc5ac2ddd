package io.switchboard.console;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How console pages write numbers. */
@TemplateExtension
final class ConsoleFormats {

    private ConsoleFormats() {
    }

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** A moment to the minute, in UTC. */
    static String minute(Instant moment) {
        return MINUTE.format(moment);
    }

    /** A moment to the second, in UTC. */
    static String second(Instant moment) {
        return SECOND.format(moment);
    }

    /** A score such as a similarity or confidence: two decimals. */
    static String twoDecimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
