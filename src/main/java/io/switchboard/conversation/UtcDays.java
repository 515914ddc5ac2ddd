package io.switchboard.conversation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Reports and filters take whole days in UTC, both ends included: the instants that bound them. */
final class UtcDays {

    private UtcDays() {}

    /** The first instant of the day. */
    static Instant startOf(LocalDate firstDay) {
        return firstDay.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant after the day, so that the whole of it is included. */
    static Instant endOf(LocalDate lastDay) {
        return startOf(lastDay.plusDays(1));
    }
}
