package io.switchboard.conversation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Reports and filters take whole days in UTC, both ends included: the instants that bound them. */
public final class UtcDays {

    private UtcDays() {}

    /** The first instant of the day. */
    public static Instant startOf(LocalDate firstDay) {
        return firstDay.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant after the day, so that the whole of it is included. */
    public static Instant endOf(LocalDate lastDay) {
        return startOf(lastDay.plusDays(1));
    }
}
