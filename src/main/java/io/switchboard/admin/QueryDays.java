package io.switchboard.admin;

import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Days given as query parameters (2026-11-29): null when absent, a field error naming the parameter when unreadable. */
public final class QueryDays {

    private static final long MAX_DAYS = 366;

    /** A period of UTC days, both included. */
    public record Period(LocalDate first, LocalDate last) {

        /** The period's first moment. */
        public Instant start() {
            return first.atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        /** The moment just after the period (the start of the day after its last). */
        public Instant end() {
            return last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
    }

    private QueryDays() {}

    static LocalDate day(String parameter, String value) {
        try {
            return value == null || value.isBlank() ? null : LocalDate.parse(value.strip());
        } catch (DateTimeParseException notADay) {
            throw ProblemException.invalid(parameter, "must be a day such as 2026-11-29");
        }
    }

    /** The period {@code from}–{@code to}; when neither is given, the last {@code days} days up to today. */
    public static Period recent(String from, String to, int days) {
        boolean unset = (from == null || from.isBlank()) && (to == null || to.isBlank());
        return period(unset ? LocalDate.now(ZoneOffset.UTC).minusDays(days - 1L).toString() : from, to);
    }

    /** The period {@code from}–{@code to} of a report; by default this month so far; at most 366 days. */
    public static Period period(String from, String to) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate first = day("from", from);
        LocalDate last = day("to", to);
        Period period = new Period(first == null ? today.withDayOfMonth(1) : first, last == null ? today : last);
        if (period.last().isBefore(period.first())
                || ChronoUnit.DAYS.between(period.first(), period.last()) >= MAX_DAYS) {
            throw new ProblemException(
                    ProblemType.VALIDATION_FAILED, "'to' must be on or after 'from', at most 366 days later");
        }
        return period;
    }
}
